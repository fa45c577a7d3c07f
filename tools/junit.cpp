#include "junit.h"

#include <stdexcept>

#include <fmt/format.h>
#include <pugixml.hpp>

namespace vsssim {

void writeJunit(const std::string &path, const std::string &suiteName, const std::vector<JunitCase> &cases)
{
    pugi::xml_document doc;
    pugi::xml_node suites = doc.append_child("testsuites");
    pugi::xml_node suite = suites.append_child("testsuite");
    std::size_t failures = 0, errors = 0, skipped = 0;
    double seconds = 0;
    for (const JunitCase &c : cases) {
        pugi::xml_node tc = suite.append_child("testcase");
        tc.append_attribute("classname") = c.classname.c_str();
        tc.append_attribute("name") = c.name.c_str();
        tc.append_attribute("file") = c.file.c_str();
        tc.append_attribute("time") = fmt::format("{:.3f}", c.seconds).c_str();
        seconds += c.seconds;
        switch (c.result) {
        case JunitCase::Result::Passed:
            break;
        case JunitCase::Result::Skipped:
            ++skipped;
            tc.append_child("skipped").append_attribute("message") = c.message.c_str();
            break;
        case JunitCase::Result::Failure:
        case JunitCase::Result::Error: {
            const bool failure = c.result == JunitCase::Result::Failure;
            ++(failure ? failures : errors);
            pugi::xml_node f = tc.append_child(failure ? "failure" : "error");
            f.append_attribute("message") = c.message.c_str();
            f.append_attribute("type") = c.type.c_str();
            f.text() = c.body.c_str();
            break;
        }
        }
        if (!c.systemErr.empty())
            tc.append_child("system-err").text() = c.systemErr.c_str();
    }
    suite.append_attribute("name") = suiteName.c_str();
    suite.append_attribute("tests") = cases.size();
    suite.append_attribute("failures") = failures;
    suite.append_attribute("errors") = errors;
    suite.append_attribute("skipped") = skipped;
    suite.append_attribute("time") = fmt::format("{:.3f}", seconds).c_str();
    suites.append_attribute("tests") = cases.size();
    suites.append_attribute("failures") = failures;
    suites.append_attribute("errors") = errors;
    if (!doc.save_file(path.c_str(), "  "))
        throw std::runtime_error(fmt::format("--junit {}: cannot write the file", path));
}

} // namespace vsssim
