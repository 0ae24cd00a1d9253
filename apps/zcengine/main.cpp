#include "apps/zcengine/cli.hpp"
#include "core/interrupt.hpp"

#include <exception>
#include <iostream>

int main(int argc, char** argv)
{
    try {
        zc::interrupt::install("zcengine"); // before any thread or child exists
        return zc::engine::run_cli(argc, argv);
    } catch (const std::exception& e) {
        std::cerr << "zcengine: internal error: " << e.what() << "\n";
        return zc::engine::exit_internal;
    }
}
