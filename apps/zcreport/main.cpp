#include "apps/zcreport/cli.hpp"
#include "core/exhaustion.hpp"
#include "core/interrupt.hpp"
#include "core/visible_text.hpp"

#include <exception>
#include <iostream>
#include <new>

int main(int argc, char** argv)
{
    zc::install_exhaustion_handlers("zcreport");
    try {
        // Nothing here enters a namespace, so the interrupt thread starts at once.
        zc::interrupt::install("zcreport");
        zc::interrupt::start();
        return zc::report::run_zcreport(argc, argv, std::cout, std::cerr);
    } catch (const std::bad_alloc&) {
        zc::print_out_of_memory();
        return zc::report::exit_internal;
    } catch (const zc::ResourceExhausted& e) {
        std::cerr << "zcreport: " << zc::visible_text(e.what()) << "\n";
        return zc::report::exit_internal;
    } catch (const std::exception& e) {
        std::cerr << "zcreport: internal error: " << zc::visible_text(e.what()) << "\n";
        return zc::report::exit_internal;
    }
}
