// Deliberately wrong (docs/behaviour.md §19, M9): on a retryable writer failure it retries the whole
// backup at once instead of after 10 minutes, and 5 times instead of at most 3.
#include "requester.h"

int main()
{
    return RunBackup(ComponentModeOptions(), 5, false);
}
