// Deliberately wrong (docs/behaviour.md §19, M7): calls BackupComplete after a failed DoSnapshotSet
// (it still calls AbortBackup afterwards). Otherwise a correct backup.
#include "requester.h"

int main()
{
    RequesterOptions o = ComponentModeOptions();
    o.bCompleteAfterFailedSnapshot = true;
    return RunBackup(o);
}
