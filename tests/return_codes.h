// The results the reference allows for each requester method: behavior.md §13 (status methods),
// §14 (IVssAsync), §15 (the other MUST methods, with §10.4's volume codes) and §16 (fault injection).
// One table for every checker that drives the API with arbitrary calls: the call-sequence fuzzer
// (fuzz/call_sequence.cpp) and the threaded stress test (tests/stress_test.cpp). A code outside a
// method's row is a simulator bug, whatever the call's arguments were.
#pragma once

#include <algorithm>
#include <initializer_list>
#include <string_view>

#include <vss.h>
#include <vsserror.h>

namespace vsssim::test {

struct MethodCodes {
    std::string_view method;
    /// What the method returns with no fault injected (besides the common codes below).
    std::initializer_list<HRESULT> codes;
};

/// Every method's common results (§15 "common to all rows"): a NULL required pointer, a call out of
/// sequence. Methods that can return neither say so in their own row, and this list is not added.
inline constexpr HRESULT kCommonCodes[] = {S_OK, E_INVALIDARG, VSS_E_BAD_STATE};

/// Produced only when a scenario injects them (§16, R17): allowed anywhere, but only then.
inline constexpr HRESULT kInjectedCodes[] = {E_OUTOFMEMORY, VSS_E_UNEXPECTED, E_UNEXPECTED, E_ACCESSDENIED,
                                             VSS_E_WRITER_INFRASTRUCTURE};

// clang-format off
inline constexpr MethodCodes kMethodCodes[] = {
    {"CreateVssBackupComponents", {}},
    {"CVssWriter::Initialize",    {}},
    {"QueryInterface",            {E_POINTER, E_NOINTERFACE}},
    {"InitializeForBackup",       {E_NOTIMPL}},
    {"InitializeForRestore",      {VSS_E_INVALID_XML_DOCUMENT}},
    {"SetContext",                {VSS_E_UNSUPPORTED_CONTEXT}},
    {"SetBackupState",            {}},
    {"SetRestoreState",           {}},
    {"DisableWriterClasses",      {}},
    {"EnableWriterClasses",       {}},
    {"DisableWriterInstances",    {}},
    {"GatherWriterMetadata",      {}},
    {"GetWriterMetadataCount",    {}},
    {"GetWriterMetadata",         {VSS_E_OBJECT_NOT_FOUND}},
    {"GetWriterMetadataEx",       {VSS_E_OBJECT_NOT_FOUND}},
    {"FreeWriterMetadata",        {}},
    {"AddComponent",              {VSS_E_OBJECT_NOT_FOUND, VSS_E_OBJECT_ALREADY_EXISTS}},
    {"StartSnapshotSet",          {VSS_E_SNAPSHOT_SET_IN_PROGRESS}},
    {"AddToSnapshotSet",          {VSS_E_OBJECT_NOT_FOUND, VSS_E_OBJECT_ALREADY_EXISTS, VSS_E_MAXIMUM_NUMBER_OF_VOLUMES_REACHED,
                                   VSS_E_VOLUME_NOT_SUPPORTED, VSS_E_VOLUME_NOT_SUPPORTED_BY_PROVIDER, VSS_E_NESTED_VOLUME_LIMIT,
                                   VSS_E_PROVIDER_NOT_REGISTERED, VSS_E_MAXIMUM_NUMBER_OF_SNAPSHOTS_REACHED,
                                   VSS_E_PROVIDER_VETO}},
    {"PrepareForBackup",          {}},
    {"DoSnapshotSet",             {VSS_E_SNAPSHOT_SET_IN_PROGRESS}},
    {"GetSnapshotProperties",     {VSS_E_OBJECT_NOT_FOUND}},
    {"DeleteSnapshots",           {VSS_E_OBJECT_NOT_FOUND}},
    {"SetBackupSucceeded",        {VSS_E_OBJECT_NOT_FOUND}},
    {"BackupComplete",            {}},
    {"AbortBackup",               {}},
    {"SaveAsXML",                 {}},
    {"GetWriterComponentsCount",  {}},
    {"GetWriterComponents",       {VSS_E_OBJECT_NOT_FOUND}},
    {"PreRestore",                {}},
    {"PostRestore",               {}},
    {"GetSessionId",              {}},
    {"GatherWriterStatus",        {}},
    {"GetWriterStatusCount",      {}},
    // A BSTR allocation that really fails is E_OUTOFMEMORY without injection (§13.3 row 5).
    {"GetWriterStatus",           {VSS_E_OBJECT_NOT_FOUND, E_OUTOFMEMORY}},
    {"GetWriterStatusEx",         {VSS_E_OBJECT_NOT_FOUND, E_OUTOFMEMORY}},
    {"FreeWriterStatus",          {}},
    // IVssAsync (§14): Wait returns S_OK unless the service is set to wait_returns_failure; Cancel
    // returns the ended operation's result, one of the async results below.
    {"IVssAsync::Wait",           {}},
    {"IVssAsync::QueryStatus",    {}},
    {"IVssAsync::Cancel",         {VSS_S_ASYNC_CANCELLED, VSS_S_ASYNC_FINISHED, VSS_E_UNEXPECTED_WRITER_ERROR,
                                   VSS_E_HOLD_WRITES_TIMEOUT, VSS_E_FLUSH_WRITES_TIMEOUT, VSS_E_PROVIDER_VETO,
                                   VSS_E_UNEXPECTED_PROVIDER_ERROR, VSS_E_INSUFFICIENT_STORAGE}},
};

/// What QueryStatus may put in *pHrResult, by operation (§14, §10's DoSnapshotSet results, R8).
inline constexpr MethodCodes kAsyncResults[] = {
    {"GatherWriterMetadata", {VSS_S_ASYNC_PENDING, VSS_S_ASYNC_FINISHED, VSS_S_ASYNC_CANCELLED}},
    {"GatherWriterStatus",   {VSS_S_ASYNC_PENDING, VSS_S_ASYNC_FINISHED, VSS_S_ASYNC_CANCELLED}},
    {"PrepareForBackup",     {VSS_S_ASYNC_PENDING, VSS_S_ASYNC_FINISHED, VSS_S_ASYNC_CANCELLED}},
    {"DoSnapshotSet",        {VSS_S_ASYNC_PENDING, VSS_S_ASYNC_FINISHED, VSS_S_ASYNC_CANCELLED,
                              VSS_E_UNEXPECTED_WRITER_ERROR, VSS_E_HOLD_WRITES_TIMEOUT, VSS_E_FLUSH_WRITES_TIMEOUT,
                              VSS_E_PROVIDER_VETO, VSS_E_UNEXPECTED_PROVIDER_ERROR, VSS_E_INSUFFICIENT_STORAGE}},
    {"BackupComplete",       {VSS_S_ASYNC_PENDING, VSS_S_ASYNC_FINISHED, VSS_S_ASYNC_CANCELLED}},
    {"PreRestore",           {VSS_S_ASYNC_PENDING, VSS_S_ASYNC_FINISHED, VSS_S_ASYNC_CANCELLED}},
    {"PostRestore",          {VSS_S_ASYNC_PENDING, VSS_S_ASYNC_FINISHED, VSS_S_ASYNC_CANCELLED}},
};
// clang-format on

namespace detail {
inline bool listed(std::initializer_list<HRESULT> codes, HRESULT hr)
{
    return std::find(codes.begin(), codes.end(), hr) != codes.end();
}
inline const MethodCodes *row(const MethodCodes *first, const MethodCodes *last, std::string_view name)
{
    const MethodCodes *r = std::find_if(first, last, [&](const MethodCodes &m) { return m.method == name; });
    return r == last ? nullptr : r;
}
} // namespace detail

/** \brief Whether the reference lets `method` return `hr`; false too for a method the table lacks,
 *  so a checker that calls a new method must add its row here first. */
inline bool allowedResult(std::string_view method, HRESULT hr, bool faultsInjected = false)
{
    const MethodCodes *r = detail::row(std::begin(kMethodCodes), std::end(kMethodCodes), method);
    if (!r)
        return false;
    if (std::find(std::begin(kCommonCodes), std::end(kCommonCodes), hr) != std::end(kCommonCodes) ||
        detail::listed(r->codes, hr))
        return true;
    return faultsInjected && std::find(std::begin(kInjectedCodes), std::end(kInjectedCodes), hr) != std::end(kInjectedCodes);
}

/** \brief Whether QueryStatus may report `hr` for operation `operation`. */
inline bool allowedAsyncResult(std::string_view operation, HRESULT hr, bool faultsInjected = false)
{
    const MethodCodes *r = detail::row(std::begin(kAsyncResults), std::end(kAsyncResults), operation);
    if (!r)
        return false;
    if (detail::listed(r->codes, hr))
        return true;
    return faultsInjected && std::find(std::begin(kInjectedCodes), std::end(kInjectedCodes), hr) != std::end(kInjectedCodes);
}

} // namespace vsssim::test
