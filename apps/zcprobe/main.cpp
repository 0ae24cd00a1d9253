#include "apps/zcprobe/cli.hpp"
#include "core/exhaustion.hpp"
#include "core/interrupt.hpp"
#include "core/visible_text.hpp"

#include <exception>
#include <iostream>
#include <new>

int main(int argc, char** argv)
{
    zc::install_exhaustion_handlers("zcprobe");
    try {
        zc::interrupt::install("zcprobe"); // before any thread or child exists
        return zc::probe::run_cli(argc, argv);
    } catch (const std::bad_alloc&) {
        zc::print_out_of_memory();
        return zc::probe::exit_internal;
    } catch (const zc::ResourceExhausted& e) {
        std::cerr << "zcprobe: " << zc::visible_text(e.what()) << "\n";
        return zc::probe::exit_internal;
    } catch (const std::exception& e) {
        std::cerr << "zcprobe: internal error: " << zc::visible_text(e.what()) << "\n";
        return zc::probe::exit_internal;
    }
}
