/* A C user of libsmoothkit: build with
 *   cc example.c $(pkg-config --cflags --libs smoothkit) -lm -o example
 * It checks its own results and exits non-zero on a mismatch. */
#include <math.h>
#include <stdio.h>
#include <smoothkit.h>

int main(void) {
    /* The library loaded at run time must be of this header's major version and at least as new. */
    if (smk_version() / 10000 != SMK_VERSION_MAJOR || smk_version() < SMK_VERSION) {
        fprintf(stderr, "libsmoothkit %d is older than this program's headers (%d)\n", smk_version(), SMK_VERSION);
        return 1;
    }
    const float x[2][4] = {{1, 2, 3, 4}, {0, 0, -INFINITY, -INFINITY}};
    float lse[2], p[2][4], pos[2];
    if (smk_logsumexp_f32(&x[0][0], 2, 4, 4, 1.0f, lse) != SMK_OK) return 1;
    if (smk_softmax_f32(&x[0][0], 2, 4, 4, 1.0f, &p[0][0], 4) != SMK_OK) return 1;
    if (smk_softargmax_f32(&x[0][0], 2, 4, 4, 1.0f, pos) != SMK_OK) return 1;
    const double want = log(exp(1.0) + exp(2.0) + exp(3.0) + exp(4.0));
    printf("libsmoothkit %d, isa %s: lse = [%.6f, %.6f], p[1] = [%g %g %g %g], softargmax = [%.6f, %.6f]\n",
           smk_version(), smk_isa_name(), lse[0], lse[1], p[1][0], p[1][1], p[1][2], p[1][3], pos[0], pos[1]);
    int ok = fabs(lse[0] - want) < 1e-5 && fabs(lse[1] - log(2.0)) < 1e-6 && p[1][0] == 0.5f &&
             p[1][2] == 0.0f && fabs(pos[1] - 0.5) < 1e-6;
    /* A bad temperature is an error and writes nothing. */
    float canary = 42;
    ok = ok && smk_logsumexp_f32(&x[0][0], 1, 4, 4, 0.0f, &canary) == SMK_ERR_TEMPERATURE && canary == 42;
    printf("%s (%s)\n", ok ? "ok" : "MISMATCH", smk_status_string(SMK_ERR_TEMPERATURE));
    return ok ? 0 : 1;
}
