/*
 * Unit tests for user/lib/net/inet_csum.c: RFC 1071's worked example, a
 * real IPv4 header, odd lengths, pieces summed apart, and a long buffer
 * of 0xff bytes against a plain reference sum.
 */
#include "unit.h"

#include "net/inet_csum.h"
#include "net/net_bytes.h"

static void CSUM0001_rfc1071_example_and_ipv4_header(void **state)
{
    /* RFC 1071 section 3: the sum of these words is 0xddf2. */
    const uint8_t ex[] = {0x00, 0x01, 0xf2, 0x03, 0xf4, 0xf5, 0xf6, 0xf7};
    /* 10.0.2.15 -> 10.0.2.2, ICMP, checksum 0x20c1 filled in below */
    uint8_t ip[20] = {0x45, 0x00, 0x00, 0x54, 0x12, 0x34, 0x40, 0x00, 0x40, 0x01,
                      0x00, 0x00, 10, 0, 2, 15, 10, 0, 2, 2};
    uint16_t c;

    (void)state;
    assert_int_equal(inet_csum(ex, sizeof(ex)), (uint16_t)~0xddf2);
    c = inet_csum(ip, sizeof(ip));
    net_put16(ip + 10, c);
    assert_int_equal(inet_csum(ip, sizeof(ip)), 0);
    ip[15] ^= 1;
    assert_int_not_equal(inet_csum(ip, sizeof(ip)), 0);
}

static uint16_t reference(const uint8_t *p, size_t len)
{
    uint64_t s = 0;

    for (size_t i = 0; i < len; i++)
        s += (i & 1) ? p[i] : (uint64_t)p[i] << 8;
    while (s >> 16)
        s = (s & 0xffff) + (s >> 16);
    return (uint16_t)~s;
}

static void CSUM0002_pieces_odd_lengths_and_long_buffers(void **state)
{
    static uint8_t big[70000];
    uint8_t buf[301];

    (void)state;
    rng_state = 7;
    for (size_t i = 0; i < sizeof(buf); i++)
        buf[i] = (uint8_t)rng();
    for (size_t len = 0; len <= sizeof(buf); len++)
        assert_int_equal(inet_csum(buf, len), reference(buf, len));
    /* Even-length pieces then an odd tail sum as one buffer. */
    assert_int_equal(inet_fold(inet_sum(inet_sum(inet_sum(0, buf, 100), buf + 100, 200),
                                        buf + 300, 1)),
                     inet_csum(buf, 301));
    memset(big, 0xff, sizeof(big));
    assert_int_equal(inet_csum(big, sizeof(big)), reference(big, sizeof(big)));
    assert_int_equal(inet_csum(big, 69999), reference(big, 69999));
}

static void CSUM0003_pseudo_header(void **state)
{
    /* A UDP datagram 10.0.2.15:68 -> 10.0.2.2:67, 4 bytes of payload. */
    uint8_t pkt[12 + 12] = {10, 0, 2, 15, 10, 0, 2, 2, 0, 17, 0, 12,
                            0, 68, 0, 67, 0, 12, 0, 0, 'a', 'b', 'c', 'd'};
    uint32_t s = inet_sum_pseudo4(NET_IP4(10, 0, 2, 15), NET_IP4(10, 0, 2, 2), 17, 12);

    (void)state;
    /* The pseudo-header sums like its 12 bytes written out. */
    assert_int_equal(inet_fold(inet_sum(s, pkt + 12, 12)), inet_csum(pkt, sizeof(pkt)));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(CSUM0001_rfc1071_example_and_ipv4_header),
        cmocka_unit_test(CSUM0002_pieces_odd_lengths_and_long_buffers),
        cmocka_unit_test(CSUM0003_pseudo_header),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
