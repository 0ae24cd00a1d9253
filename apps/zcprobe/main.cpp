#include "apps/zcprobe/cli.hpp"
#include "core/interrupt.hpp"

#include <exception>
#include <iostream>

int main(int argc, char** argv)
{
    try {
        zc::interrupt::install("zcprobe"); // before any thread or child exists
        return zc::probe::run_cli(argc, argv);
    } catch (const std::exception& e) {
        std::cerr << "zcprobe: internal error: " << e.what() << "\n";
        return zc::probe::exit_internal;
    }
}
