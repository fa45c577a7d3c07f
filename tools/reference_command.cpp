#include "reference_command.h"

#include <iostream>

#include <fmt/format.h>

#include "scenario/reference_tables.h"

namespace vsssim {

void setupReferenceCommand(CLI::App &command, ReferenceOptions &options)
{
    std::string names, help = "one of:";
    for (const ReferenceTable &t : referenceTables()) {
        help += fmt::format("\n  {:<15} {}", t.name, t.what);
        names += names.empty() ? "" : ", ";
        names += t.name;
    }
    command.add_option("TABLE", options.table, help)->required()->check([](const std::string &v) {
        return referenceTable(v).empty() ? std::string("unknown table") : std::string();
    });
    command.footer("The tables docs/behaviour.md shows: " + names);
}

int runReferenceCommand(const ReferenceOptions &options)
{
    std::cout << referenceTable(options.table);
    return 0;
}

} // namespace vsssim
