// SPDX-License-Identifier: GPL-3.0-or-later
// libFuzzer entry point: see FuzzTargets.h (canyon::fuzz::cacheJson) and run-fuzz.sh.
#include "FuzzTargets.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    canyon::fuzz::cacheJson(data, size);
    return 0;
}
