// What every fuzz target shares: a finding is an abort with the reason on stderr, so libFuzzer
// saves the input as a crash and CI fails; the documents are requester-supplied UTF-8.
#pragma once

#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <optional>
#include <string>
#include <string_view>

#include <windows.h>

#include "core/names.h"

namespace vsssim::fuzz {

[[noreturn]] inline void finding(const std::string &what)
{
    std::fprintf(stderr, "fuzz finding: %s\n", what.c_str());
    std::abort();
}

inline void require(bool ok, const std::string &what)
{
    if (!ok)
        finding(what);
}

inline std::string_view bytes(const std::uint8_t *data, std::size_t size)
{
    return {reinterpret_cast<const char *>(data), size};
}

/** \brief The input as a requester's wide document; nullopt when it is not UTF-8 (nothing to test). */
inline std::optional<std::wstring> document(const std::uint8_t *data, std::size_t size)
{
    return fromUtf8(bytes(data, size));
}

/** \brief What SaveAsXML of an object that accepted a document writes. */
template <class Object>
std::wstring savedXml(Object *p)
{
    BSTR out = nullptr;
    require(p->SaveAsXML(&out) == S_OK, "SaveAsXML of an accepted document failed");
    std::wstring xml(out, SysStringLen(out));
    SysFreeString(out);
    return xml;
}

/** \brief A reader of requester-supplied documents: `read(xml, saved)` returns S_OK when it accepts
 *  the document, filling `saved` with what SaveAsXML wrote then. What it accepted and saved it must
 *  accept again, and save identically. */
template <class Read>
int roundTrip(const std::uint8_t *data, std::size_t size, std::string_view reader, Read read)
{
    const auto xml = document(data, size);
    if (!xml)
        return 0;
    std::wstring saved;
    if (read(*xml, saved) == 0) {
        std::wstring again;
        require(read(saved, again) == 0, std::string("SaveAsXML wrote a document ") + std::string(reader) + " refuses");
        require(again == saved, "the document changed on its second round trip");
    }
    return 0;
}

} // namespace vsssim::fuzz
