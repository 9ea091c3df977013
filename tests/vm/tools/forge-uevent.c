/* Test-only tool for the VM tier: sends a forged kernel uevent from userspace.
 *
 *   forge-uevent [--uid N] multicast HEADER KEY=VALUE...   sends straight to NETLINK_KOBJECT_UEVENT
 *                                                   group 1; receivers see the sender's port id (not 0).
 *   forge-uevent [--uid N] kernel HEADER KEY=VALUE...      asks the kernel to re-broadcast it (needs
 *                                                   CAP_SYS_ADMIN): receivers see port id 0 and a kernel
 *                                                   SEQNUM, so only a sysfs re-check catches it.
 *   forge-uevent [--uid N] flood COUNT HEADER KEY=VALUE... the kernel relay, COUNT times (fills a
 *                                                   listener's receive buffer while it is stopped).
 * HEADER is "ACTION@DEVPATH"; the message is HEADER\0KEY=VALUE\0... as the kernel frames it.
 * --uid N attaches SCM_CREDENTIALS with uid and gid N: root may claim any uid, and the kernel relay
 * passes the sender's credentials on, so a listener sees port 0 with uid N.
 */
#define _GNU_SOURCE /* struct ucred, SCM_CREDENTIALS */
#include <linux/netlink.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#define UEVENT_BUFFER_SIZE 2048

static int usage(const char *self)
{
    fprintf(stderr, "usage: %s [--uid N] multicast|kernel|flood [COUNT] ACTION@DEVPATH [KEY=VALUE...]\n", self);
    return 2;
}

static ssize_t send_once(int fd, void *buffer, size_t length, const struct sockaddr_nl *to, long uid)
{
    struct iovec iov = {.iov_base = buffer, .iov_len = length};
    union {
        char bytes[CMSG_SPACE(sizeof(struct ucred))];
        struct cmsghdr align;
    } control;
    struct msghdr msg = {.msg_name = (void *)to, .msg_namelen = sizeof *to, .msg_iov = &iov, .msg_iovlen = 1};
    if (uid >= 0) {
        memset(&control, 0, sizeof control);
        msg.msg_control = control.bytes;
        msg.msg_controllen = sizeof control.bytes;
        struct cmsghdr *cmsg = CMSG_FIRSTHDR(&msg);
        cmsg->cmsg_level = SOL_SOCKET;
        cmsg->cmsg_type = SCM_CREDENTIALS;
        cmsg->cmsg_len = CMSG_LEN(sizeof(struct ucred));
        struct ucred credentials = {.pid = getpid(), .uid = (uid_t)uid, .gid = (gid_t)uid};
        memcpy(CMSG_DATA(cmsg), &credentials, sizeof credentials);
    }
    return sendmsg(fd, &msg, 0);
}

int main(int argc, char **argv)
{
    const char *self = argv[0];
    long uid = -1;
    if (argc > 2 && strcmp(argv[1], "--uid") == 0) {
        uid = strtol(argv[2], NULL, 10);
        argc -= 2;
        argv += 2;
    }
    if (argc < 3)
        return usage(self);
    int flood = strcmp(argv[1], "flood") == 0;
    int to_kernel = flood || strcmp(argv[1], "kernel") == 0;
    if (!to_kernel && strcmp(argv[1], "multicast"))
        return usage(self);
    long count = 1;
    int first = 2;
    if (flood) {
        if (argc < 4)
            return usage(self);
        count = strtol(argv[2], NULL, 10);
        first = 3;
    }
    char buffer[NLMSG_HDRLEN + UEVENT_BUFFER_SIZE];
    char *payload = to_kernel ? buffer + NLMSG_HDRLEN : buffer;
    size_t length = 0;
    for (int i = first; i < argc; i++) {
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
    struct sockaddr_nl self_address = {.nl_family = AF_NETLINK};
    if (bind(fd, (struct sockaddr *)&self_address, sizeof self_address) < 0) {
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
    for (long i = 0; i < count; i++) {
        if (send_once(fd, buffer, length, &destination, uid) < 0) {
            perror("forge-uevent: sendmsg");
            return 1;
        }
    }
    close(fd);
    return 0;
}
