// The small XML dialect of the simulator's own documents (the backup components document, writer
// metadata) on pugixml: elements with attributes, no text, comments, processing instructions or
// document types. Anything outside that dialect is an error, so a document another tool wrote is
// refused rather than half-read. Debian's pugixml keeps UTF-8 C strings, which cannot hold NUL: values
// are written as ASCII with character references and read back by decode(), here and nowhere else.
#pragma once
#include "private.h"

#include <cstddef>
#include <functional>
#include <optional>
#include <set>
#include <string>
#include <string_view>
#include <vector>

#include <pugixml.hpp>

#include <windows.h>

#include "core/result.h"
#include "service/model.h"

namespace vsssim::xml {

/// Parses text into doc and checks the dialect: one root element, nothing nested deeper than
/// maxDepth (the root is depth 1). Returns what is wrong and where, or nullopt.
std::optional<std::string> load(pugi::xml_document &doc, std::wstring_view text, int maxDepth);

/// VSS_E_INVALID_XML_DOCUMENT saying why, and the same reason in the log: the caller of
/// InitializeForRestore or LoadFromXML sees only the code.
Error refuse(std::string why);

/// A name from a document as a message shows it: a hostile document may hold megabyte names.
std::string shown(std::string_view name);

/// `<?xml version="1.0"?>`, then the root element and its children, two spaces an indent level.
std::wstring save(const pugi::xml_document &doc);

/// A new document holding the declaration and an empty root element, which it returns.
pugi::xml_node startDocument(pugi::xml_document &doc, const char *root);

void put(pugi::xml_node node, const char *key, std::wstring_view value);
void put(pugi::xml_node node, const char *key, long long value);
void putFlag(pugi::xml_node node, const char *key, bool value);
void putGuid(pugi::xml_node node, const char *key, const GUID &value);
/// As put, and nothing at all for nullopt: absence is how a document says "never set".
void putOptional(pugi::xml_node node, const char *key, const std::optional<std::wstring> &value);

/// A decimal integer with an optional '-'; nullopt when malformed or outside long long.
std::optional<long long> parseNumber(std::wstring_view text);

/// Reads the attributes of one element strictly: each getter names an attribute, and finish()
/// reports the first problem, including attributes no getter asked for and repeated attributes.
/// Required getters report a missing attribute; the optional ones give their default.
class Fields
{
public:
    explicit Fields(pugi::xml_node node) : node_(node) {}

    std::wstring text(const char *key);
    std::optional<std::wstring> optionalText(const char *key);
    long long integer(const char *key, long long min, long long max);
    std::optional<long long> optionalInteger(const char *key, long long min, long long max);
    DWORD dword(const char *key);
    bool flag(const char *key);
    bool optionalFlag(const char *key);
    GUID guid(const char *key);
    std::vector<BYTE> bytes(const char *key);

    std::optional<std::string> finish();

private:
    std::optional<std::wstring> find(const char *key, bool required);
    std::string where(const char *key) const;
    void problem(std::string what);

    pugi::xml_node node_;
    std::set<std::string, std::less<>> used_;
    std::optional<std::string> problem_;
};

/// One string member of a record and the attribute that carries it: the writer and the reader of
/// a document walk the same table, so they cannot disagree on a name.
template <class Record>
struct TextField {
    const char *attribute;
    std::wstring Record::*member;
};

template <class Record, std::size_t N>
void putText(pugi::xml_node node, const Record &record, const TextField<Record> (&table)[N])
{
    for (const TextField<Record> &f : table)
        put(node, f.attribute, record.*f.member);
}

template <class Record, std::size_t N>
void readText(Fields &fields, Record &record, const TextField<Record> (&table)[N])
{
    for (const TextField<Record> &f : table)
        record.*f.member = fields.text(f.attribute);
}

/// A file descriptor as an element's attributes (path, filespec, recursive, alternateLocation,
/// backupTypeMask), for writer metadata and for a component's new targets alike.
void putFileSpec(pugi::xml_node node, const FileSpec &file);
FileSpec readFileSpec(Fields &fields);

} // namespace vsssim::xml
