// A non-component-mode backup of C:\ (SetBackupState(false, ...), no AddComponent) that never calls
// IVssAsync::Wait: it polls QueryStatus until the operation is no longer pending, and reads the
// status list with the plain IVssBackupComponents::GetWriterStatus. Retries as docs/behaviour.md §17 advises.
#include "requester.h"

int main()
{
    RequesterOptions o = {};
    o.bComponentMode = false;
    o.finish = PollUntilDone;
    o.readStatus = ReadPlainStatus;
    return RunBackup(o);
}
