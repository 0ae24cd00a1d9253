#include "apps/common/guarded_main.hpp"
#include "apps/zcreport/cli.hpp"

#include <iostream>

int main(int argc, char** argv)
{
    // Nothing in zcreport enters a namespace: the interrupt thread starts at once.
    return zc::guarded_main("zcreport", zc::report::exit_internal, true,
                            [&] { return zc::report::run_zcreport(argc, argv, std::cout, std::cerr); });
}
