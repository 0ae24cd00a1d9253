#include "apps/zcreport/cli.hpp"
#include "core/interrupt.hpp"

#include <exception>
#include <iostream>

int main(int argc, char** argv)
{
    try {
        // Nothing here enters a namespace, so the interrupt thread starts at once.
        zc::interrupt::install("zcreport");
        zc::interrupt::start();
        return zc::report::run_zcreport(argc, argv, std::cout, std::cerr);
    } catch (const std::exception& e) {
        std::cerr << "zcreport: internal error: " << e.what() << "\n";
        return zc::report::exit_internal;
    }
}
