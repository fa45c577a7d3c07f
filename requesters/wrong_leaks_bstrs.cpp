// Deliberately wrong (docs/behaviour.md §19, M1): never frees the writer name and application message
// BSTRs that GetWriterStatusEx hands out. Otherwise a correct backup.
#include "requester.h"

int main()
{
    RequesterOptions o = ComponentModeOptions();
    o.bLeakStatusStrings = true;
    return RunBackup(o);
}
