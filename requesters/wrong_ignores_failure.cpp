// Deliberately wrong (docs/behaviour.md §19, M3): reports every selected component as backed up,
// SetBackupSucceeded(true), whatever the writers' status said. Otherwise a correct backup.
#include "requester.h"

int main()
{
    RequesterOptions o = ComponentModeOptions();
    o.bClaimEveryComponentBackedUp = true;
    return RunBackup(o);
}
