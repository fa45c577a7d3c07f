#include "service/writer_registry.h"

#include <algorithm>
#include <cstring>

namespace vsssim {

namespace {
thread_local EventCall *tCurrentCall = nullptr;
}

EventCall *currentEventCall() noexcept { return tCurrentCall; }

namespace detail {
EventCall *exchangeCurrentEventCall(EventCall *call) noexcept
{
    EventCall *previous = tCurrentCall;
    tCurrentCall = call;
    return previous;
}
} // namespace detail

WriterEntry &WriterRegistry::add(std::unique_ptr<WriterEntry> entry)
{
    entry->uid = nextUid_++;
    byUid_.push_back(entry.get());
    byInstance_[entry->identity.instanceId].push_back(entry.get());
    writers_.push_back(std::move(entry));
    return *writers_.back();
}

std::vector<WriterEntry *> WriterRegistry::subscribed() const
{
    std::vector<WriterEntry *> out;
    for (const auto &w : writers_)
        if (w->subscribed && !w->vanished)
            out.push_back(w.get());
    return out;
}

WriterEntry *WriterRegistry::find(std::uint32_t uid) const noexcept
{
    return uid < byUid_.size() ? byUid_[uid] : nullptr;
}

WriterEntry *WriterRegistry::findInstance(const VSS_ID &instanceId) const noexcept
{
    const auto it = byInstance_.find(instanceId);
    if (it == byInstance_.end())
        return nullptr;
    for (WriterEntry *w : it->second)
        if (!w->vanished)
            return w;
    return nullptr;
}

std::size_t WriterRegistry::GuidHash::operator()(const VSS_ID &id) const noexcept
{
    // Instance ids come from the seeded generator or Windows' own: their bytes are already well mixed.
    std::uint64_t halves[2];
    static_assert(sizeof halves == sizeof id);
    std::memcpy(halves, &id, sizeof halves);
    return std::hash<std::uint64_t>{}(halves[0] ^ (halves[1] * 0x9e3779b97f4a7c15ULL));
}

void WriterRegistry::moveToEnd(WriterEntry &w)
{
    auto it = std::find_if(writers_.begin(), writers_.end(), [&](const auto &p) { return p.get() == &w; });
    if (it == writers_.end())
        return;
    std::rotate(it, it + 1, writers_.end());
}

} // namespace vsssim
