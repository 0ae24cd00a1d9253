// io_uring constants newer than the uapi header Debian 12's liburing 2.3
// ships: the 6.2 additions of commit e307e6698165 ("io_uring/net: introduce
// IORING_SEND_ZC_REPORT_USAGE flag"). With the flag, the notification CQE's
// res carries IORING_NOTIF_USAGE_ZC_COPIED when the kernel copied the data
// (io_uring/notif.c sets it when zc_copied, or when no zero-copy skb was
// used at all). Shared by the io_uring probes and the engine's SEND_ZC sender (probe/ is
// the lowest component that uses liburing).
#pragma once

#include <liburing.h>

#ifndef IORING_SEND_ZC_REPORT_USAGE
#define IORING_SEND_ZC_REPORT_USAGE (1U << 3)
#endif
#ifndef IORING_NOTIF_USAGE_ZC_COPIED
#define IORING_NOTIF_USAGE_ZC_COPIED (1U << 31)
#endif
