// A TAP reporter for doctest, so that `meson test` counts every test case (protocol : 'tap').
#include <doctest/doctest.h>

#include <mutex>
#include <ostream>

namespace {

class TapReporter : public doctest::IReporter
{
public:
    explicit TapReporter(const doctest::ContextOptions &options) : out_(*options.cout) {}

    void report_query(const doctest::QueryData &) override {}
    void test_run_start() override {}
    void test_run_end(const doctest::TestRunStats &) override { out_ << "1.." << count_ << std::endl; }
    void test_case_start(const doctest::TestCaseData &tc) override { current_ = &tc; }
    void test_case_reenter(const doctest::TestCaseData &) override {}
    void test_case_end(const doctest::CurrentTestCaseStats &st) override
    {
        const bool ok = st.failure_flags == 0 && st.numAssertsFailedCurrentTest == 0;
        // Flush every line: a later crash must not swallow the results so far.
        out_ << (ok ? "ok " : "not ok ") << ++count_ << " - " << name() << std::endl;
    }
    void test_case_exception(const doctest::TestCaseException &e) override
    {
        out_ << "# exception: " << e.error_string.c_str() << '\n';
    }
    void subcase_start(const doctest::SubcaseSignature &) override {}
    void subcase_end() override {}
    void log_assert(const doctest::AssertData &a) override
    {
        if (!a.m_failed)
            return;
        std::lock_guard lock(mutex_);
        out_ << "# " << a.m_file << ':' << a.m_line << ": " << a.m_expr << " (" << a.m_decomp.c_str() << ")\n";
        for (int i = 0; i < doctest::IReporter::get_num_active_contexts(); ++i) {
            out_ << "#   ";
            doctest::IReporter::get_active_contexts()[i]->stringify(&out_);
            out_ << '\n';
        }
    }
    void log_message(const doctest::MessageData &m) override
    {
        if (m.m_severity & doctest::assertType::is_warn)
            return;
        out_ << "# " << m.m_file << ':' << m.m_line << ": " << m.m_string.c_str() << '\n';
    }
    void test_case_skipped(const doctest::TestCaseData &tc) override
    {
        out_ << "ok " << ++count_ << " - " << tc.m_name << " # SKIP" << std::endl;
    }

private:
    std::string name() const
    {
        std::string n = current_->m_test_suite && *current_->m_test_suite ? std::string(current_->m_test_suite) + ": " : "";
        return n + current_->m_name;
    }

    std::ostream &out_;
    const doctest::TestCaseData *current_ = nullptr;
    unsigned count_ = 0;
    std::mutex mutex_;
};

} // namespace

DOCTEST_REGISTER_REPORTER("tap", 1, TapReporter);
