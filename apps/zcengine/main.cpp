#include "apps/common/guarded_main.hpp"
#include "apps/zcengine/cli.hpp"

int main(int argc, char** argv)
{
    return zc::guarded_main("zcengine", zc::engine::exit_internal, false,
                            [&] { return zc::engine::run_cli(argc, argv); });
}
