#include "apps/common/guarded_main.hpp"

#include "core/exhaustion.hpp"
#include "core/interrupt.hpp"
#include "core/visible_text.hpp"

#include <exception>
#include <iostream>
#include <new>

namespace zc {

int guarded_main(const char* tool, int exit_internal, bool start_interrupts, const std::function<int()>& run)
{
    install_exhaustion_handlers(tool);
    try {
        interrupt::install(tool);
        if (start_interrupts) interrupt::start();
        return run();
    } catch (const std::bad_alloc&) {
        print_out_of_memory();
        return exit_internal;
    } catch (const ResourceExhausted& e) {
        std::cerr << tool << ": " << visible_text(e.what()) << "\n";
        return exit_internal;
    } catch (const std::exception& e) {
        std::cerr << tool << ": internal error: " << visible_text(e.what()) << "\n";
        return exit_internal;
    }
}

} // namespace zc
