#include "apps/zcengine/cli.hpp"
#include "core/exhaustion.hpp"
#include "core/interrupt.hpp"
#include "core/visible_text.hpp"

#include <exception>
#include <iostream>
#include <new>

int main(int argc, char** argv)
{
    zc::install_exhaustion_handlers("zcengine");
    try {
        zc::interrupt::install("zcengine"); // before any thread or child exists
        return zc::engine::run_cli(argc, argv);
    } catch (const std::bad_alloc&) {
        zc::print_out_of_memory();
        return zc::engine::exit_internal;
    } catch (const zc::ResourceExhausted& e) {
        std::cerr << "zcengine: " << zc::visible_text(e.what()) << "\n";
        return zc::engine::exit_internal;
    } catch (const std::exception& e) {
        std::cerr << "zcengine: internal error: " << zc::visible_text(e.what()) << "\n";
        return zc::engine::exit_internal;
    }
}
