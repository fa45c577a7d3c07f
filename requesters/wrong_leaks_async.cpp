// Deliberately wrong (docs/behaviour.md §19, M13): reads every operation's result correctly but never
// releases the IVssAsync objects. Otherwise a correct backup.
#include "requester.h"

static HRESULT WaitAndQueryKeep(IVssAsync *pAsync)
{
    pAsync->AddRef();   // the reference this program forgets to give back
    return WaitAndQuery(pAsync);
}

int main()
{
    RequesterOptions o = ComponentModeOptions();
    o.finish = WaitAndQueryKeep;
    return RunBackup(o);
}
