// A component-mode backup of C:\ that selects every selectable or top-level component on C:\ (by the instance id
// its metadata came with), waits with Wait + QueryStatus, reads the status through
// IVssBackupComponentsEx3::GetWriterStatusEx, and retries the whole backup as docs/behaviour.md §17
// advises (as every program here does): 10 minutes after a RETRYABLE, TIMEOUT or OUTOFRESOURCES
// writer failure, at most 3 times, never for the data of a NONRETRYABLE or NOT_RESPONDING writer.
#include "requester.h"

int main()
{
    return RunBackup(ComponentModeOptions());
}
