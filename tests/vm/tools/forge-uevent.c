/* Test-only tool for the VM tier: sends a forged kernel uevent from userspace.
 *
 *   forge-uevent multicast HEADER KEY=VALUE...   sends straight to NETLINK_KOBJECT_UEVENT group 1;
 *                                                 receivers see the sender's port id (not 0).
 *   forge-uevent kernel HEADER KEY=VALUE...      asks the kernel to re-broadcast it (needs
 *                                                 CAP_SYS_ADMIN): receivers see port id 0 and a
 *                                                 kernel SEQNUM, so only a sysfs re-check catches it.
 * HEADER is "ACTION@DEVPATH"; the message is HEADER\0KEY=VALUE\0... as the kernel frames it.
 */
#include <linux/netlink.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#define UEVENT_BUFFER_SIZE 2048

int main(int argc, char **argv)
{
    if (argc < 3 || (strcmp(argv[1], "multicast") && strcmp(argv[1], "kernel"))) {
        fprintf(stderr, "usage: %s multicast|kernel ACTION@DEVPATH [KEY=VALUE...]\n", argv[0]);
        return 2;
    }
    int to_kernel = strcmp(argv[1], "kernel") == 0;
    char buffer[NLMSG_HDRLEN + UEVENT_BUFFER_SIZE];
    char *payload = to_kernel ? buffer + NLMSG_HDRLEN : buffer;
    size_t length = 0;
    for (int i = 2; i < argc; i++) {
        size_t n = strlen(argv[i]) + 1;
        if (length + n > UEVENT_BUFFER_SIZE) {
            fprintf(stderr, "forge-uevent: message longer than %d bytes\n", UEVENT_BUFFER_SIZE);
            return 2;
        }
        memcpy(payload + length, argv[i], n);
        length += n;
    }

    int fd = socket(AF_NETLINK, SOCK_RAW | SOCK_CLOEXEC, NETLINK_KOBJECT_UEVENT);
    if (fd < 0) {
        perror("forge-uevent: socket");
        return 1;
    }
    struct sockaddr_nl self = {.nl_family = AF_NETLINK};
    if (bind(fd, (struct sockaddr *)&self, sizeof self) < 0) {
        perror("forge-uevent: bind");
        return 1;
    }
    struct sockaddr_nl destination = {.nl_family = AF_NETLINK, .nl_pid = 0, .nl_groups = to_kernel ? 0 : 1};
    if (to_kernel) {
        struct nlmsghdr *header = (struct nlmsghdr *)buffer;
        memset(header, 0, NLMSG_HDRLEN);
        header->nlmsg_len = NLMSG_LENGTH(length);
        header->nlmsg_type = 0x10; /* any type >= NLMSG_MIN_TYPE reaches uevent_net_rcv_skb */
        header->nlmsg_flags = NLM_F_REQUEST;
        length = header->nlmsg_len;
    }
    if (sendto(fd, buffer, length, 0, (struct sockaddr *)&destination, sizeof destination) < 0) {
        perror("forge-uevent: sendto");
        return 1;
    }
    close(fd);
    return 0;
}
