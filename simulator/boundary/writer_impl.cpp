// The implementation behind CVssWriter, CVssWriterEx and CVssWriterEx2 (the SDK's classes are inline
// and forward to an IVssWriterImpl that CreateWriter / CreateWriterEx return). It subscribes the
// user's writer to the simulated service and turns each event into a call of its On* handler.
#include <optional>
#include <string>
#include <vector>

#include <vswriter.h>
#include <vsbackup.h>

#include "boundary/bstr.h"
#include "boundary/com_object.h"
#include "boundary/component.h"
#include "boundary/metadata.h"
#include "core/names.h"
#include "service/service.h"
#include "service/session.h"

namespace vsssim {

namespace {

constexpr HRESULT kWriterFailureCodes[] = {
    VSS_E_WRITERERROR_INCONSISTENTSNAPSHOT, VSS_E_WRITERERROR_OUTOFRESOURCES, VSS_E_WRITERERROR_TIMEOUT,
    VSS_E_WRITERERROR_RETRYABLE, VSS_E_WRITERERROR_NONRETRYABLE,
};

bool isOneOf(HRESULT hr, std::initializer_list<HRESULT> extra)
{
    for (HRESULT c : kWriterFailureCodes)
        if (hr == c)
            return true;
    for (HRESULT c : extra)
        if (hr == c)
            return true;
    return false;
}

std::string narrow(const wchar_t *w)
{
    std::string s;
    for (; w && *w; ++w)
        s += *w < 0x80 ? static_cast<char>(*w) : '?';
    return s;
}

/// Events during which GetCurrentSnapshotSetId names the set being made (docs/behaviour.md §4).
bool snapshotEvent(Input e)
{
    return e == Input::PrepareForSnapshot || e == Input::Freeze || e == Input::Thaw || e == Input::PostSnapshot ||
           e == Input::Abort;
}

class WriterImpl final : public IVssWriterImpl, public WriterHandler, public RefCounted
{
public:
    WriterImpl(CVssWriter *writer, CVssWriterEx *writerEx) : writer_(writer), writerEx_(writerEx) {}
    ~WriterImpl() override { detach(); }

    // IUnknown
    HRESULT STDMETHODCALLTYPE QueryInterface(REFIID riid, void **ppv) override
    {
        if (!ppv)
            return E_POINTER;
        if (riid == IID_IUnknown) {
            *ppv = static_cast<IUnknown *>(this);
            addRef();
            return S_OK;
        }
        *ppv = nullptr;
        return E_NOINTERFACE;
    }
    ULONG STDMETHODCALLTYPE AddRef() override { return addRef(); }
    ULONG STDMETHODCALLTYPE Release() override { return release(); }

    HRESULT Initialize(VSS_ID writerId, LPCWSTR wszWriterName, LPCWSTR wszWriterInstanceName, DWORD dwMajorVersion,
                       DWORD dwMinorVersion, VSS_USAGE_TYPE ut, VSS_SOURCE_TYPE st, VSS_APPLICATION_LEVEL nLevel,
                       DWORD dwTimeout, VSS_ALTERNATE_WRITER_STATE, bool) override
    {
        return guarded("CVssWriter::Initialize", [&]() -> HRESULT {
            attachCurrentThread();
            if (!wszWriterName)
                return E_INVALIDARG;
            if (!isEnumValue(ut, EnumKind::UsageType) || !isEnumValue(st, EnumKind::SourceType) ||
                !isEnumValue(nLevel, EnumKind::ApplicationLevel))
                return E_INVALIDARG;
            service_ = Service::current();
            auto lock = service_->lock();
            if (HRESULT hr = service_->injectedFault("CVssWriter::Initialize", false); hr != S_OK)
                return hr;
            identity_.classId = writerId;
            identity_.wideName = wszWriterName;
            identity_.name = narrow(wszWriterName);
            identity_.instanceName = wszWriterInstanceName ? wszWriterInstanceName : L"";
            identity_.versionMajor = dwMajorVersion;
            identity_.versionMinor = dwMinorVersion;
            identity_.usage = ut;
            identity_.source = st;
            identity_.level = nLevel;
            identity_.freezeTimeout = std::chrono::milliseconds(dwTimeout);
            initialized_ = true;
            return S_OK;
        });
    }

    HRESULT Subscribe(DWORD, DWORD dwEventFlags) override
    {
        return guarded("CVssWriter::Subscribe", [&]() -> HRESULT {
            attachCurrentThread();
            if (!initialized_)
                return E_FAIL;
            auto lock = service_->lock();
            if (entry_ && entry_->subscribed)
                return VSS_E_WRITER_ALREADY_SUBSCRIBED;
            if (HRESULT hr = service_->injectedFault("CVssWriter::Subscribe", false); hr != S_OK)
                return hr;
            identity_.eventFlags = dwEventFlags;
            if (entry_) {
                entry_->subscribed = true;
                service_->writers().moveToEnd(*entry_);
                return S_OK;
            }
            auto entry = service_->subscribe(identity_, *this);
            if (!entry)
                return entry.hr();
            entry_ = *entry;
            return S_OK;
        });
    }

    HRESULT Unsubscribe() override
    {
        return guarded("CVssWriter::Unsubscribe", [&]() -> HRESULT {
            if (entry_) {
                auto lock = service_->lock();
                service_->unsubscribe(*entry_);
            }
            return S_OK;
        });
    }

    void Uninitialize() override { detach(); }

    LPCWSTR *GetCurrentVolumeArray() const override
    {
        Session *s = session();
        if (!s)
            return nullptr;
        volumes_ = s->volumeNames();
        volumePointers_.clear();
        for (const std::wstring &v : volumes_)
            volumePointers_.push_back(v.c_str());
        return volumePointers_.empty() ? nullptr : volumePointers_.data();
    }

    UINT GetCurrentVolumeCount() const override
    {
        Session *s = session();
        return s ? static_cast<UINT>(s->volumeNames().size()) : 0;
    }

    HRESULT GetSnapshotDeviceName(LPCWSTR wszOriginalVolume, LPCWSTR *ppwszSnapshotDevice) const override
    {
        return guarded("CVssWriter::GetSnapshotDeviceName", [&]() -> HRESULT {
            if (!wszOriginalVolume || !ppwszSnapshotDevice)
                return E_INVALIDARG;
            *ppwszSnapshotDevice = nullptr;
            Session *s = session();
            if (!s)
                return VSS_E_BAD_STATE;
            auto index = s->service().findVolume(wszOriginalVolume);
            if (!index)
                return VSS_E_OBJECT_NOT_FOUND;
            for (const ShadowCopy &c : s->service().shadowCopies())
                if (c.setId == s->snapshotSetId() && c.volume == *index && c.committed) {
                    device_ = L"\\\\?\\GLOBALROOT\\Device\\HarddiskVolumeShadowCopy" + std::to_wstring(c.deviceNumber);
                    *ppwszSnapshotDevice = device_.c_str();
                    return S_OK;
                }
            return VSS_E_OBJECT_NOT_FOUND;
        });
    }

    VSS_ID GetCurrentSnapshotSetId() const override
    {
        if (EventCall *call = ownCall())
            return snapshotEvent(call->event) ? call->snapshotSetId : GUID_NULL;
        Session *s = session();
        return s && s->snapshotInProgress() ? s->snapshotSetId() : GUID_NULL;
    }

    LONG GetContext() const override
    {
        Session *s = session();
        return s ? s->context() : static_cast<LONG>(VSS_CTX_BACKUP);
    }

    VSS_APPLICATION_LEVEL GetCurrentLevel() const override { return identity_.level; }

    bool IsPathAffected(LPCWSTR wszPath) const override
    {
        Session *s = session();
        return s && wszPath && s->pathAffected(wszPath);
    }

    bool IsBootableSystemStateBackedUp() const override
    {
        Session *s = session();
        return s && s->bootableSystemState();
    }

    bool AreComponentsSelected() const override
    {
        Session *s = session();
        return s && s->componentsSelected();
    }

    VSS_BACKUP_TYPE GetBackupType() const override
    {
        Session *s = session();
        return s && !s->isRestore() ? s->backupType() : VSS_BT_UNDEFINED;
    }

    VSS_RESTORE_TYPE GetRestoreType() const override
    {
        Session *s = session();
        return s && s->isRestore() ? s->restoreType() : VSS_RTYPE_UNDEFINED;
    }

    HRESULT SetWriterFailure(HRESULT hr) override
    {
        if (!isOneOf(hr, {}))
            return E_INVALIDARG;  // R6: only the five writer errors; S_OK is not one
        return recordFailure(hr, S_OK, nullptr);
    }

    bool IsPartialFileSupportEnabled() const override
    {
        Session *s = session();
        return s && s->partialFileSupport();
    }

    HRESULT InstallAlternateWriter(VSS_ID, CLSID) override { return notImplemented("CVssWriter::InstallAlternateWriter"); }

    IVssExamineWriterMetadata *GetIdentityInformation() const override
    {
        try {
            return makeExamineWriterMetadata(identity_, declared_);
        } catch (...) {
            return nullptr;
        }
    }

    HRESULT SetWriterFailureEx(HRESULT hr, HRESULT hrApplication, LPCWSTR wszApplicationMessage) override
    {
        return guarded("CVssWriterEx2::SetWriterFailureEx", [&]() -> HRESULT {
            if (!isOneOf(hr, {S_OK, VSS_E_WRITERERROR_PARTIAL_FAILURE}))
                return E_INVALIDARG;  // R6: the seven codes of SetWriterFailureEx
            return recordFailure(hr, hrApplication, wszApplicationMessage);
        });
    }

    HRESULT GetSessionId(VSS_ID *idSession) override
    {
        if (!idSession)
            return E_INVALIDARG;
        EventCall *call = ownCall();
        if (!call || !call->session)
            return VSS_E_BAD_STATE;  // only inside a handler of this writer, on its thread (R6)
        *idSession = call->session->sessionId();
        return S_OK;
    }

    bool IsWriterShuttingDown() override { return entry_ && entry_->shuttingDown; }

    // WriterHandler: the service calls this for every event, with the simulation lock held.
    void shutdown() noexcept override
    {
        try {
            writer_->OnVSSShutdown();  // its answer changes nothing: the service is going away
        } catch (...) {
            reportInternalError("CVssWriter::OnVSSShutdown", "the writer's handler threw");
        }
    }

    void handle(EventCall &call) noexcept override
    {
        if (call.session)
            lastSession_ = call.session->weak_from_this();
        try {
            std::shared_ptr<Session> session = call.session ? call.session->shared_from_this() : nullptr;
            auto components = [&] { return HandlerComponents(session, entry_ ? entry_->identity : identity_, &call); };
            switch (call.event) {
            case Input::Identify: {
                WriterMetadata declared;
                MetadataBuilder builder(declared, identity_);
                // D7: OnIdentifyEx first, OnIdentify if it returned false (the SDK defaults both to false
                // in CVssWriterEx, and writers are told to override exactly one).
                bool ok = writerEx_ && writerEx_->OnIdentifyEx(&builder);
                if (!ok)
                    ok = writer_->OnIdentify(&builder);
                call.value = ok;
                if (call.metadata)
                    *call.metadata = declared;
                declared_ = std::move(declared);
                break;
            }
            case Input::PrepareForBackup: {
                HandlerComponents c = components();
                call.value = writer_->OnPrepareBackup(&c);
                break;
            }
            case Input::PrepareForSnapshot: call.value = writer_->OnPrepareSnapshot(); break;
            case Input::Freeze: call.value = writer_->OnFreeze(); break;
            case Input::Thaw: call.value = writer_->OnThaw(); break;
            case Input::PostSnapshot: {
                HandlerComponents c = components();
                call.value = writer_->OnPostSnapshot(&c);
                break;
            }
            case Input::Abort: call.value = writer_->OnAbort(); break;
            case Input::BackupComplete: {
                HandlerComponents c = components();
                call.value = writer_->OnBackupComplete(&c);
                break;
            }
            case Input::BackupShutdown: call.value = writer_->OnBackupShutdown(call.snapshotSetId); break;
            case Input::PreRestore: {
                HandlerComponents c = components();
                call.value = writer_->OnPreRestore(&c);
                break;
            }
            case Input::PostRestore: {
                HandlerComponents c = components();
                call.value = writer_->OnPostRestore(&c);
                break;
            }
            case Input::FreezeWindowExpired:
                break;
            }
        } catch (...) {
            call.threw = true;
        }
    }

private:
    /// The handler call of this writer running on this thread, if any.
    EventCall *ownCall() const noexcept
    {
        EventCall *call = currentEventCall();
        return call && entry_ && call->writer == entry_ ? call : nullptr;
    }

    /// The session the writer is answering: the running handler's, else the last one it saw.
    Session *session() const noexcept
    {
        if (EventCall *call = ownCall())
            return call->session;
        auto s = lastSession_.lock();
        return s.get();
    }

    HRESULT recordFailure(HRESULT hr, HRESULT hrApplication, const wchar_t *message)
    {
        EventCall *call = ownCall();
        // R6: outside a handler of this writer, on another thread, or in OnIdentify: nothing recorded.
        if (!call || call->event == Input::Identify)
            return VSS_E_BAD_STATE;
        call->failureSet = true;
        call->failure.hrWriter = hr;
        call->failure.hrApplication = hrApplication;
        if (message)
            call->failure.message = std::wstring(message);
        else
            call->failure.message.reset();
        return S_OK;
    }

    void detach() noexcept
    {
        if (!entry_ || !service_)
            return;
        auto lock = service_->lock();
        service_->unsubscribe(*entry_);
        entry_->handler = nullptr;   // the service must never call into a released writer
        entry_ = nullptr;
    }

    CVssWriter *writer_;
    CVssWriterEx *writerEx_;
    std::shared_ptr<Service> service_;
    WriterEntry *entry_ = nullptr;
    bool initialized_ = false;
    WriterIdentity identity_;
    WriterMetadata declared_;
    std::weak_ptr<Session> lastSession_;
    mutable std::vector<std::wstring> volumes_;
    mutable std::vector<LPCWSTR> volumePointers_;
    mutable std::wstring device_;
};

} // namespace

} // namespace vsssim

extern "C" HRESULT STDAPICALLTYPE CreateWriter(CVssWriter *pWriter, IVssWriterImpl **pWriterImpl)
{
    if (!pWriter || !pWriterImpl)
        return E_INVALIDARG;
    return vsssim::guarded("CreateWriter", [&]() -> HRESULT {
        *pWriterImpl = new vsssim::WriterImpl(pWriter, nullptr);
        return S_OK;
    });
}

extern "C" HRESULT STDMETHODCALLTYPE CreateWriterEx(CVssWriterEx *pWriter, IVssWriterImpl **pWriterImpl)
{
    if (!pWriter || !pWriterImpl)
        return E_INVALIDARG;
    return vsssim::guarded("CreateWriterEx", [&]() -> HRESULT {
        *pWriterImpl = new vsssim::WriterImpl(pWriter, pWriter);
        return S_OK;
    });
}
