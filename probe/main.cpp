#include "probe/cli.hpp"

#include <exception>
#include <iostream>

int main(int argc, char** argv)
{
    try {
        return zc::probe::run_cli(argc, argv);
    } catch (const std::exception& e) {
        std::cerr << "zcprobe: internal error: " << e.what() << "\n";
        return zc::probe::exit_internal;
    }
}
