/* Seeded generator of GTS input-format files for the framework benchmarks.
 *   gen_data A FILE   one series bench.a{src=walk}: 10,000,000 points 1 s
 *                     apart from 1500000000000000, a DOUBLE random walk
 *   gen_data B FILE   1,000 series bench.b{host=hN,dc=dcK} (K = N % 10) of
 *                     10,000 LONG points 60 s apart, the same ticks in all
 * An optional third argument scales the point counts down (for tests). */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static uint64_t state = 0x5eed;

static uint64_t next(void) /* xorshift64* */
{
    state ^= state >> 12;
    state ^= state << 25;
    state ^= state >> 27;
    return state * 2685821657736338717ULL;
}

int main(int argc, char **argv)
{
    if (argc < 3 || (argv[1][0] != 'A' && argv[1][0] != 'B')) {
        fprintf(stderr, "usage: gen_data A|B FILE [DIVISOR]\n");
        return 2;
    }
    long div = argc > 3 ? atol(argv[3]) : 1;
    if (div < 1)
        div = 1;
    FILE *f = fopen(argv[2], "w");
    if (!f)
        return 1;
    static char buf[1 << 20];
    setvbuf(f, buf, _IOFBF, sizeof buf);
    const int64_t t0 = 1500000000000000LL;
    if (argv[1][0] == 'A') {
        int64_t micro = 100000000; /* value in millionths: 100.0 */
        for (long i = 0; i < 10000000 / div; i++) {
            micro += (int64_t)(next() % 2000001) - 1000000;
            int64_t a = micro < 0 ? -micro : micro;
            fprintf(f, "%lld// bench.a{src=walk} %s%lld.%06lld\n", (long long)(t0 + i * 1000000LL),
                    micro < 0 ? "-" : "", (long long)(a / 1000000), (long long)(a % 1000000));
        }
    } else {
        for (long s = 0; s < 1000 / (div > 100 ? 100 : 1); s++)
            for (long i = 0; i < 10000 / (div > 100 ? div / 100 : div); i++)
                fprintf(f, "%lld// bench.b{host=h%ld,dc=dc%ld} %lld\n", (long long)(t0 + i * 60000000LL), s, s % 10,
                        (long long)(next() % 1000));
    }
    return fclose(f) != 0;
}
