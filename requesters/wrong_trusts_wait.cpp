// Deliberately wrong (docs/behaviour.md §19, M18): takes IVssAsync::Wait's S_OK for the operation's
// result and never calls QueryStatus, so a failed DoSnapshotSet passes unread. Otherwise a correct
// backup.
#include "requester.h"

static HRESULT WaitOnly(IVssAsync *pAsync)
{
    HRESULT hr = pAsync->Wait();
    pAsync->Release();
    return hr;
}

int main()
{
    RequesterOptions o = ComponentModeOptions();
    o.finish = WaitOnly;
    return RunBackup(o);
}
