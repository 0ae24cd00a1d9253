#include "reports/zcreport_cli.hpp"

#include <exception>
#include <iostream>

int main(int argc, char** argv)
{
    try {
        return zc::report::run_zcreport(argc, argv, std::cout, std::cerr);
    } catch (const std::exception& e) {
        std::cerr << "zcreport: internal error: " << e.what() << "\n";
        return zc::report::exit_internal;
    }
}
