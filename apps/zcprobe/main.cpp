#include "apps/common/guarded_main.hpp"
#include "apps/zcprobe/cli.hpp"

int main(int argc, char** argv)
{
    return zc::guarded_main("zcprobe", zc::probe::exit_internal, false,
                            [&] { return zc::probe::run_cli(argc, argv); });
}
