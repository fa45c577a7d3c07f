// JUnit XML, the report CI systems read: one <testcase> per scenario, for `vss-sim run` and `vss-sim test`.
#pragma once

#include <string>
#include <vector>

namespace vsssim {

struct JunitCase {
    enum class Result { Passed, Skipped, Failure, Error };
    std::string classname;
    std::string name;
    std::string file;
    double seconds = 0;
    Result result = Result::Passed;
    std::string message;     ///< one line: why it failed or was skipped
    std::string type;        ///< <failure>/<error> type attribute
    std::string body;        ///< the failure's details, reproduce line included
    std::string systemErr;   ///< <system-err>, when non-empty
};

/** \brief Write one <testsuite> named `suite` holding the cases, in order.
 *  \throws std::runtime_error when the file cannot be written. */
void writeJunit(const std::string &path, const std::string &suite, const std::vector<JunitCase> &cases);

} // namespace vsssim
