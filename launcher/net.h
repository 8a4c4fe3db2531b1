/* launcher/net.h — listening sockets and address text for qvtcpserver.
 *
 * Addresses are kept as 16 bytes (IPv4 as v4-mapped ::ffff:a.b.c.d) plus a
 * flag saying whether the peer is a real IPv6 one. Text forms follow the
 * ucspi-tcp IPv6 patch (libowfat's fmt_ip6c): IPv4 and v4-mapped peers
 * as a dotted quad, IPv6 compact. */
#ifndef QV_NET_H
#define QV_NET_H
#include <stddef.h>
#include <sys/socket.h>

#define NET_IPTEXT 48

/* Which families a host argument asks for. */
#define NET_V4 1
#define NET_V6 2

/* Parses the host argument: "0" or "" (all addresses), "::" (all, both
 * families), an IPv4 or IPv6 literal. Sets *families (NET_V4|NET_V6) and
 * the bind addresses (ip4: 4 bytes, ip6: 16 bytes) of each family.
 * force: 0, 4 (-4) or 6 (-6) narrows "0"/"::". 1, or 0 when host is not
 * understood (errno EINVAL). Pure. */
int net_parse_host(const char *host, int force, int *families,
                   unsigned char ip4[4], unsigned char ip6[16]);

/* Parses a port: decimal number or /etc/services name. 1 or 0. */
int net_parse_port(const char *s, unsigned short *port);

/* Opens, binds (SO_REUSEADDR; IPv6 with V6ONLY) and listens. Returns the
 * fd (close-on-exec, non-blocking) or -1 with errno. */
int net_listen4(const unsigned char ip[4], unsigned short port, int backlog);
int net_listen6(const unsigned char ip[16], unsigned short port, int backlog);

/* From a socket address: the 16-byte form, the text form (NUL-terminated,
 * length returned), the port, and whether it is a real IPv6 address. */
size_t net_addr(const struct sockaddr_storage *sa, unsigned char ip[16],
                char text[NET_IPTEXT], unsigned short *port, int *is6);

/* The IPv6 text of a 16-byte address, v4-mapped ones as ::ffff:a.b.c.d
 * (the TCP6REMOTEIP form of tcpserver's IPv6 patch). NUL-terminated,
 * length returned. Pure. */
size_t net_text6(const unsigned char ip[16], char text[NET_IPTEXT]);

#endif
