// Shared main of every doctest executable: stdout carries TAP, so logs must not go there.
#define DOCTEST_CONFIG_IMPLEMENT
#include <doctest/doctest.h>

#include <spdlog/sinks/null_sink.h>
#include <spdlog/spdlog.h>

int main(int argc, char **argv)
{
    spdlog::set_default_logger(spdlog::null_logger_mt("tests"));
    doctest::Context context(argc, argv);
    return context.run();
}
