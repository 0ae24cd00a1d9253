// The kernel commits the catalog cites, each written once: the probes'
// histories refer to these names instead of spelling ids again. Every id
// and subject was checked against the mainline history (torvalds/linux or
// the netdev trees' merge notices), and `version` is the first mainline
// release that carries the commit.
#pragma once

#include <string_view>

namespace zc::probe::kc {

struct KernelCommit {
    std::string_view commit;  // abbreviated mainline id, 12 hex digits
    std::string_view version; // first mainline release with it
    std::string_view subject; // the commit's subject line
};

// pipe, splice, tee
inline constexpr KernelCommit splice_syscall{"5274f052e7b3", "2.6.17", "[PATCH] Introduce sys_splice() system call"};
inline constexpr KernelCommit vmsplice_syscall{"912d35f86781", "2.6.17", "[PATCH] Add support for vmsplice syscall"};
inline constexpr KernelCommit vmsplice_gift{"7afa6fd037e5", "2.6.17", "[PATCH] vmsplice: allow user to pass in gift pages"};
inline constexpr KernelCommit tee_syscall{"70524490ee2e", "2.6.17", "[PATCH] splice: add support for sys_tee()"};
inline constexpr KernelCommit setpipe_sz{"35f3d14dbbc5", "2.6.35", "pipe: add support for shrinking and growing pipes"};

// The 6.5 rework: splice into a socket goes through sendmsg(MSG_SPLICE_PAGES).
inline constexpr KernelCommit splice_to_sendmsg{"2dc334f1a63a", "6.5",
                                                "splice, net: Use sendmsg(MSG_SPLICE_PAGES) rather than ->sendpage()"};
inline constexpr KernelCommit udp_splice_pages{"7da0dde68486", "6.5", "ip, udp: Support MSG_SPLICE_PAGES"};
inline constexpr KernelCommit udp6_splice_pages{"6d8192bd69bb", "6.5", "ip6, udp6: Support MSG_SPLICE_PAGES"};
inline constexpr KernelCommit udp_sendpage_to_splice{"7ac7c987850c", "6.5",
                                                     "udp: Convert udp_sendpage() to use MSG_SPLICE_PAGES"};

// MSG_ZEROCOPY
inline constexpr KernelCommit so_zerocopy{"76851d1212c1", "4.14", "sock: add SOCK_ZEROCOPY sockopt"};
inline constexpr KernelCommit tcp_zerocopy{"f214f915e7db", "4.14", "tcp: enable MSG_ZEROCOPY"};
inline constexpr KernelCommit udp_zerocopy{"b5947e5d1e71", "5.0", "udp: msg_zerocopy"};
inline constexpr KernelCommit so_zerocopy_eopnotsupp{"869420a8be19", "5.18",
                                                     "SO_ZEROCOPY should return -EOPNOTSUPP rather than -ENOTSUPP"};

// AF_PACKET
inline constexpr KernelCommit tx_ring{"69e3c75f4d54", "2.6.31", "net: TX_RING and packet mmap"};
inline constexpr KernelCommit tx_ring_v3{"7f953ab2ba46", "4.11", "af_packet: TX_RING support for TPACKET_V3"};
inline constexpr KernelCommit qdisc_bypass{"d346a3fae3ff", "3.14", "packet: introduce PACKET_QDISC_BYPASS socket option"};

// UDP GSO
inline constexpr KernelCommit udp_segment{"bec1f6f69736", "4.18", "udp: generate gso with UDP_SEGMENT"};

// io_uring
inline constexpr KernelCommit io_uring{"2b188cc1bb85", "5.1", "Add io_uring IO interface"};
inline constexpr KernelCommit io_uring_splice{"7d67af2c0134", "5.7", "io_uring: add splice(2) support"};
inline constexpr KernelCommit io_uring_tee{"f2a8d5c7a218", "5.8", "io_uring: add tee(2) support"};
inline constexpr KernelCommit io_uring_send_zc{"b48c312be05e", "6.0", "io_uring/net: simplify zerocopy send user API"};
inline constexpr KernelCommit io_uring_sendmsg_zc{"493108d95f14", "6.1", "io_uring/net: zerocopy sendmsg"};

// AF_XDP
inline constexpr KernelCommit xsk_umem{"c0c77d8fb787", "4.18", "xsk: add user memory registration support sockopt"};
inline constexpr KernelCommit xsk_tx{"35fcde7f8deb", "4.18", "xsk: support for Tx"};
inline constexpr KernelCommit xsk_tx_zerocopy{"ac98d8aab61b", "4.19", "xsk: wire upp Tx zero-copy functions"};
inline constexpr KernelCommit xsk_need_wakeup{"77cd0d7b3f25", "5.4", "xsk: add support for need_wakeup flag in AF_XDP rings"};
// The last of the virtio-net AF_XDP zero-copy tx series (after 21a4e3ce6dc7
// "virtio_net: xsk: bind/unbind xsk for tx"): the flag xp_assign_dev() checks.
inline constexpr KernelCommit virtio_net_xsk_zerocopy{"37e0ca657a3d", "6.13",
                                                      "virtio_net: xdp_features add NETDEV_XDP_ACT_XSK_ZEROCOPY"};

// Security fixes. Copy Fail's mainline release (7.0) is the one its CVE
// announcement names. Dirty Frag's and Fragnesia's fixes were committed in
// May 2026 (net.git, then Linus's tree during the 7.1 merge window and rc
// phase): 7.1 is inferred from those dates, not read from a tag here.
// Where each became exploitable, for the histories' "before the fix" entry.
inline constexpr KernelCommit dirty_pipe_exposed{"f6dd975583bd", "5.8", "pipe: merge anon_pipe_buf*_ops"};
inline constexpr KernelCommit copy_fail_introduced{"72548b093ee3", "4.14", "crypto: algif_aead - copy AAD from src to dst"};
inline constexpr KernelCommit dirty_frag_introduced{"cac2661c53f3", "4.11", "esp4: Avoid skb_cow_data whenever possible"};
// SKBFL_SHARED_FRAG (then SKBTX_SHARED_FRAG), which skb_try_coalesce() did
// not carry over: the Fixes tag of f84eca581739.
inline constexpr KernelCommit shared_frag_marker{"cef401de7be8", "3.9", "net: fix possible wrong checksum generation"};
// The RxRPC half of Dirty Frag (CVE-2026-43500): rxrpc decrypted a
// RESPONSE packet's spliced page-cache frags in place; exposed since the
// 6.5 splice rework (2dc334f1a63a), fixed by unsharing the packet first.
inline constexpr KernelCommit rxrpc_response_fix{"aa54b1d27fe0", "",
                                                 "rxrpc: Fix conn-level packet handling to unshare RESPONSE packets"};
inline constexpr KernelCommit dirty_pipe_fix{"9d2231c5d74e", "5.17", "lib/iov_iter: initialize \"flags\" in new pipe_buffer"};
inline constexpr KernelCommit copy_fail_fix{"a664bf3d603d", "7.0", "crypto: algif_aead - Revert to operating out-of-place"};
inline constexpr KernelCommit dirty_frag_fix{"f4c50a4034e6", "7.1", "xfrm: esp: avoid in-place decrypt on shared skb frags"};
// CVE-2026-43500: the Fixes tag of aa54b1d27fe0, and the fix (merged
// 2026-05-10, after 7.0).
inline constexpr KernelCommit rxrpc_unshare{"d0d5c0cd1e71", "5.3", "rxrpc: Use skb_unshare() rather than skb_cow_data()"};
inline constexpr KernelCommit rxrpc_dirty_frag_fix{"aa54b1d27fe0", "7.1", "rxrpc: Also unshare DATA/RESPONSE packets when paged frags are present"};
inline constexpr KernelCommit fragnesia_fix{"f84eca581739", "7.1", "net: skbuff: preserve shared-frag marker during coalescing"};

} // namespace zc::probe::kc
