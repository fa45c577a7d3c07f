#include <doctest/doctest.h>

#include <algorithm>
#include <memory>
#include <utility>
#include <vector>

#include "core/clock.h"
#include "core/rng.h"
#include "core/scheduler.h"

using namespace vsssim;

TEST_CASE("tasks run in (deadline, sequence) order and the virtual clock jumps")
{
    VirtualClock clock;
    Scheduler s(clock);
    std::vector<int> order;
    s.at(ms(500), [&] { order.push_back(3); });
    s.at(ms(100), [&] { order.push_back(1); });
    s.at(ms(100), [&] { order.push_back(2); });  // same instant: scheduling order decides
    s.at(ms(900), [&] { order.push_back(4); });
    s.runUntil(ms(600));
    CHECK(order == std::vector<int>{1, 2, 3});
    CHECK(clock.now() == ms(600));
    CHECK(s.runOne());
    CHECK(order.back() == 4);
    CHECK(clock.now() == ms(900));
    CHECK_FALSE(s.runOne());
}

TEST_CASE("a task scheduled from a task at the same instant runs before time moves")
{
    VirtualClock clock;
    Scheduler s(clock);
    std::vector<std::string> order;
    s.at(ms(10), [&] {
        order.push_back("a");
        s.after(SimDuration{0}, [&] { order.push_back("a+0"); });
    });
    s.at(ms(20), [&] { order.push_back("b"); });
    while (s.runOne()) {
    }
    CHECK(order == std::vector<std::string>{"a", "a+0", "b"});
}

TEST_CASE("ten virtual minutes cost no wall time: a million-second schedule drains at once")
{
    VirtualClock clock;
    Scheduler s(clock);
    int ran = 0;
    for (int i = 0; i < 1000; ++i)
        s.after(std::chrono::seconds(i * 1000), [&] { ++ran; });
    while (s.runOne()) {
    }
    CHECK(ran == 1000);
    CHECK(clock.now() == std::chrono::seconds(999000));
}

TEST_CASE("a cancelled task never runs and what it captured goes at once; the others keep their order")
{
    VirtualClock clock;
    Scheduler s(clock);
    std::vector<int> order;
    auto guarded = std::make_shared<int>(7);
    std::weak_ptr<int> watch = guarded;
    s.at(ms(10), [&] { order.push_back(1); });
    const TimerId doomed = s.at(ms(20), [&order, held = std::move(guarded)] { order.push_back(*held); });
    s.at(ms(20), [&] { order.push_back(2); });
    s.at(ms(30), [&] { order.push_back(3); });
    CHECK(s.pending() == 4);
    s.cancel(doomed);
    CHECK(watch.expired());
    CHECK(s.pending() == 3);
    s.cancel(doomed);      // twice: nothing
    s.cancel(TimerId{});   // none: nothing
    while (s.runOne()) {
    }
    CHECK(order == std::vector<int>{1, 2, 3});
    // A cancelled slot is reused, and a stale id does not cancel its new task.
    bool ran = false;
    s.after(ms(5), [&] { ran = true; });
    s.cancel(doomed);
    CHECK(s.runOne());
    CHECK(ran);
}

TEST_CASE("cancelling from the middle of a large heap keeps (deadline, sequence) order")
{
    VirtualClock clock;
    Scheduler s(clock);
    Rng rng(5);
    std::vector<std::pair<SimTime, int>> expected;
    std::vector<TimerId> ids;
    std::vector<std::pair<SimTime, int>> ran;
    for (int i = 0; i < 500; ++i) {
        const SimTime at = ms(static_cast<long>(rng.below(50)));
        ids.push_back(s.at(at, [&ran, at, i] { ran.emplace_back(at, i); }));
        expected.emplace_back(at, i);
    }
    std::vector<std::pair<SimTime, int>> kept;
    for (int i = 0; i < 500; ++i) {
        if (i % 3 == 0)
            s.cancel(ids[static_cast<std::size_t>(i)]);
        else
            kept.push_back(expected[static_cast<std::size_t>(i)]);
    }
    std::stable_sort(kept.begin(), kept.end(), [](const auto &a, const auto &b) { return a.first < b.first; });
    while (s.runOne()) {
    }
    CHECK(ran == kept);
}

TEST_CASE("the past is not reachable: a deadline before now runs next")
{
    VirtualClock clock;
    Scheduler s(clock);
    s.runUntil(ms(1000));
    bool ran = false;
    s.at(ms(5), [&] { ran = true; });
    CHECK(s.nextDeadline() == ms(1000));
    s.runOne();
    CHECK(ran);
}

TEST_CASE("Rng: same seed same stream, integer-only uniform draws, v4 GUIDs")
{
    Rng a(42), b(42), c(43);
    for (int i = 0; i < 100; ++i)
        CHECK(a.next() == b.next());
    CHECK(Rng(42).next() != c.next());
    Rng r(7);
    for (int i = 0; i < 1000; ++i)
        CHECK(r.below(10) < 10);
    const GUID g = r.guid();
    CHECK((g.Data3 >> 12) == 4);
    CHECK((g.Data4[0] & 0xc0) == 0x80);
    std::uint64_t seed = 0;
    CHECK(parseSeed("42", seed));
    CHECK(seed == 42);
    CHECK(parseSeed("0x2a", seed));
    CHECK(seed == 42);
    CHECK(parseSeed("ffffffffffffffffffffffff000000000000002a", seed));
    CHECK(seed == 42);
    CHECK_FALSE(parseSeed("forty-two", seed));
    CHECK_FALSE(parseSeed("", seed));
    CHECK_FALSE(parseSeed(nullptr, seed));
    CHECK_FALSE(parseSeed("99999999999999999999999", seed));
}
