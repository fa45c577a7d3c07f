// <atlcomcli.h>: ATL's COM client smart pointers and BSTR wrapper, with the members COM client
// code uses. Header-only, like ATL's: they call only AddRef, Release, QueryInterface and the
// Sys*String functions.
#pragma once
#include <windows.h>
#include <objbase.h>

#include <cassert>
#include <cstring>
#include <cwchar>
#include <cwctype>
#include <memory>

#ifndef ATLASSERT
#define ATLASSERT(expr) assert(expr)
#endif

template <class T> class CComPtr {
public:
    T *p = nullptr;

    CComPtr() noexcept = default;
    CComPtr(T *lp) noexcept : p(lp)
    {
        if (p)
            p->AddRef();
    }
    CComPtr(const CComPtr &other) noexcept : CComPtr(other.p) {}
    CComPtr(CComPtr &&other) noexcept : p(other.p) { other.p = nullptr; }
    ~CComPtr()
    {
        if (p)
            p->Release();
    }

    T *operator=(T *lp) noexcept
    {
        if (lp)
            lp->AddRef();
        T *old = p;
        p = lp;
        if (old)
            old->Release();
        return p;
    }
    T *operator=(const CComPtr &other) noexcept { return *this = other.p; }
    T *operator=(CComPtr &&other) noexcept
    {
        if (this != std::addressof(other)) {
            T *old = p;
            p = other.p;
            other.p = nullptr;
            if (old)
                old->Release();
        }
        return p;
    }

    operator T *() const noexcept { return p; }
    T &operator*() const noexcept
    {
        ATLASSERT(p != nullptr);
        return *p;
    }
    // As in ATL: taking the address of a non-empty pointer would leak the object it holds.
    T **operator&() noexcept
    {
        ATLASSERT(p == nullptr);
        return &p;
    }
    T *operator->() const noexcept
    {
        ATLASSERT(p != nullptr);
        return p;
    }
    bool operator!() const noexcept { return p == nullptr; }
    bool operator<(T *pT) const noexcept { return p < pT; }
    bool operator==(T *pT) const noexcept { return p == pT; }
    bool operator!=(T *pT) const noexcept { return p != pT; }

    void Release() noexcept
    {
        T *temp = p;
        if (temp) {
            p = nullptr;
            temp->Release();
        }
    }
    void Attach(T *p2) noexcept
    {
        if (p)
            p->Release();
        p = p2;
    }
    T *Detach() noexcept
    {
        T *temp = p;
        p = nullptr;
        return temp;
    }
    HRESULT CopyTo(T **ppT) const noexcept
    {
        if (!ppT)
            return E_POINTER;
        *ppT = p;
        if (p)
            p->AddRef();
        return S_OK;
    }
    bool IsEqualObject(IUnknown *pOther) const noexcept
    {
        if (!p && !pOther)
            return true;
        if (!p || !pOther)
            return false;
        IUnknown *mine = nullptr;
        IUnknown *theirs = nullptr;
        p->QueryInterface(IID_IUnknown, reinterpret_cast<void **>(&mine));
        pOther->QueryInterface(IID_IUnknown, reinterpret_cast<void **>(&theirs));
        const bool same = mine == theirs;
        if (mine)
            mine->Release();
        if (theirs)
            theirs->Release();
        return same;
    }
    template <class Q> HRESULT QueryInterface(Q **pp) const noexcept
    {
        ATLASSERT(pp != nullptr && *pp == nullptr);
        return p->QueryInterface(__vsssim_uuidof<Q>(), reinterpret_cast<void **>(pp));
    }
    HRESULT CoCreateInstance(REFCLSID rclsid, LPUNKNOWN pUnkOuter = nullptr, DWORD dwClsContext = CLSCTX_ALL) noexcept
    {
        ATLASSERT(p == nullptr);
        return ::CoCreateInstance(rclsid, pUnkOuter, dwClsContext, __vsssim_uuidof<T>(), reinterpret_cast<void **>(&p));
    }
};

// What CComQIPtr and its IUnknown form share: filling the pointer by QueryInterface.
template <class T> class CComQIPtrBase : public CComPtr<T> {
public:
    using CComPtr<T>::CComPtr;

protected:
    void query(IUnknown *lp, const IID &iid) noexcept
    {
        if (lp)
            lp->QueryInterface(iid, reinterpret_cast<void **>(&this->p));
    }
    T *requery(IUnknown *lp, const IID &iid) noexcept
    {
        T *old = this->p;
        this->p = nullptr;
        query(lp, iid);
        if (old)
            old->Release();
        return this->p;
    }
};

// Simulator: the IID comes from the VSSSIM_UUID_DECL of T unless piid names another.
template <class T, const IID *piid = nullptr> class CComQIPtr : public CComQIPtrBase<T> {
public:
    CComQIPtr() noexcept = default;
    CComQIPtr(T *lp) noexcept : CComQIPtrBase<T>(lp) {}
    CComQIPtr(const CComQIPtr &other) noexcept : CComQIPtrBase<T>(other.p) {}
    CComQIPtr(IUnknown *lp) noexcept { this->query(lp, iid()); }
    template <class Q> CComQIPtr(const CComPtr<Q> &other) noexcept { this->query(other.p, iid()); }

    T *operator=(T *lp) noexcept { return CComPtr<T>::operator=(lp); }
    T *operator=(const CComQIPtr &other) noexcept { return CComPtr<T>::operator=(other.p); }
    T *operator=(IUnknown *lp) noexcept { return this->requery(lp, iid()); }

private:
    // if constexpr, not ?:: clang's -Wnull-conversion reads the default nullptr argument as a bool.
    static const IID &iid() noexcept
    {
        if constexpr (piid != nullptr)
            return *piid;
        else
            return __vsssim_uuidof<T>();
    }
};

// As in ATL: CComQIPtr<IUnknown> asks any object for its IUnknown.
template <const IID *piid> class CComQIPtr<IUnknown, piid> : public CComQIPtrBase<IUnknown> {
public:
    CComQIPtr() noexcept = default;
    CComQIPtr(const CComQIPtr &other) noexcept : CComQIPtrBase<IUnknown>(other.p) {}
    CComQIPtr(IUnknown *lp) noexcept { query(lp, IID_IUnknown); }
    template <class Q> CComQIPtr(const CComPtr<Q> &other) noexcept { query(other.p, IID_IUnknown); }
    IUnknown *operator=(const CComQIPtr &other) noexcept { return CComPtr<IUnknown>::operator=(other.p); }
    IUnknown *operator=(IUnknown *lp) noexcept { return requery(lp, IID_IUnknown); }
};

class CComBSTR {
public:
    BSTR m_str = nullptr;

    CComBSTR() noexcept = default;
    CComBSTR(LPCOLESTR pSrc) : m_str(pSrc ? SysAllocString(pSrc) : nullptr) {}
    CComBSTR(int nSize, LPCOLESTR sz) : m_str(SysAllocStringLen(sz, static_cast<UINT>(nSize))) {}
    explicit CComBSTR(int nSize) : m_str(nSize == 0 ? nullptr : SysAllocStringLen(nullptr, static_cast<UINT>(nSize))) {}
    CComBSTR(LPCSTR pSrc) { assignNarrow(pSrc); }
    CComBSTR(const CComBSTR &src) : m_str(src.Copy()) {}
    CComBSTR(CComBSTR &&src) noexcept : m_str(src.m_str) { src.m_str = nullptr; }
    ~CComBSTR() { SysFreeString(m_str); }

    CComBSTR &operator=(const CComBSTR &src)
    {
        if (m_str != src.m_str) {
            BSTR copy = src.Copy();
            SysFreeString(m_str);
            m_str = copy;
        }
        return *this;
    }
    CComBSTR &operator=(CComBSTR &&src) noexcept
    {
        if (this != std::addressof(src)) {
            SysFreeString(m_str);
            m_str = src.m_str;
            src.m_str = nullptr;
        }
        return *this;
    }
    CComBSTR &operator=(LPCOLESTR pSrc)
    {
        if (pSrc != m_str) {
            BSTR copy = pSrc ? SysAllocString(pSrc) : nullptr;
            SysFreeString(m_str);
            m_str = copy;
        }
        return *this;
    }
    CComBSTR &operator=(LPCSTR pSrc)
    {
        SysFreeString(m_str);
        m_str = nullptr;
        assignNarrow(pSrc);
        return *this;
    }

    operator BSTR() const noexcept { return m_str; }
    BSTR *operator&() noexcept
    {
        ATLASSERT(m_str == nullptr);
        return &m_str;
    }
    bool operator!() const noexcept { return m_str == nullptr; }
    unsigned int Length() const noexcept { return SysStringLen(m_str); }
    unsigned int ByteLength() const noexcept { return SysStringByteLen(m_str); }

    BSTR Copy() const
    {
        return m_str ? SysAllocStringLen(m_str, SysStringLen(m_str)) : nullptr;
    }
    HRESULT CopyTo(BSTR *pbstr) const
    {
        if (!pbstr)
            return E_POINTER;
        *pbstr = Copy();
        return (m_str && !*pbstr) ? E_OUTOFMEMORY : S_OK;
    }
    void Attach(BSTR src) noexcept
    {
        if (m_str != src) {
            SysFreeString(m_str);
            m_str = src;
        }
    }
    BSTR Detach() noexcept
    {
        BSTR s = m_str;
        m_str = nullptr;
        return s;
    }
    void Empty() noexcept
    {
        SysFreeString(m_str);
        m_str = nullptr;
    }

    HRESULT Append(LPCOLESTR lpsz, int nLen)
    {
        if (!lpsz || nLen <= 0)
            return (nLen < 0) ? E_INVALIDARG : S_OK;
        const UINT old = Length();
        BSTR grown = SysAllocStringLen(nullptr, old + static_cast<UINT>(nLen));
        if (!grown)
            return E_OUTOFMEMORY;
        if (old)
            std::wmemcpy(grown, m_str, old);
        std::wmemcpy(grown + old, lpsz, static_cast<std::size_t>(nLen));
        grown[old + static_cast<UINT>(nLen)] = L'\0';
        SysFreeString(m_str);
        m_str = grown;
        return S_OK;
    }
    HRESULT Append(LPCOLESTR lpsz) { return lpsz ? Append(lpsz, static_cast<int>(std::wcslen(lpsz))) : S_OK; }
    HRESULT Append(const CComBSTR &src) { return Append(src.m_str, static_cast<int>(src.Length())); }
    HRESULT Append(wchar_t ch) { return Append(&ch, 1); }
    HRESULT Append(LPCSTR lpsz)
    {
        CComBSTR wide(lpsz);
        if (lpsz && !wide.m_str)
            return E_OUTOFMEMORY;
        return Append(wide);
    }
    HRESULT AppendBSTR(BSTR p) { return Append(p, static_cast<int>(SysStringLen(p))); }
    CComBSTR &operator+=(const CComBSTR &src)
    {
        Append(src);
        return *this;
    }
    CComBSTR &operator+=(LPCOLESTR pszSrc)
    {
        Append(pszSrc);
        return *this;
    }
    HRESULT ToLower() noexcept
    {
        for (UINT i = 0; i < Length(); ++i)
            m_str[i] = static_cast<wchar_t>(std::towlower(static_cast<wint_t>(m_str[i])));
        return S_OK;
    }
    HRESULT ToUpper() noexcept
    {
        for (UINT i = 0; i < Length(); ++i)
            m_str[i] = static_cast<wchar_t>(std::towupper(static_cast<wint_t>(m_str[i])));
        return S_OK;
    }

    // As in ATL: a NULL BSTR equals the empty string.
    bool operator==(LPCOLESTR psz) const noexcept
    {
        return std::wcscmp(m_str ? m_str : L"", psz ? psz : L"") == 0;
    }
    bool operator!=(LPCOLESTR psz) const noexcept { return !(*this == psz); }
    bool operator==(const CComBSTR &other) const noexcept
    {
        return Length() == other.Length() && (Length() == 0 || std::wmemcmp(m_str, other.m_str, Length()) == 0);
    }
    bool operator!=(const CComBSTR &other) const noexcept { return !(*this == other); }
    bool operator<(const CComBSTR &other) const noexcept
    {
        return std::wcscmp(m_str ? m_str : L"", other.m_str ? other.m_str : L"") < 0;
    }

private:
    void assignNarrow(LPCSTR pSrc)
    {
        if (!pSrc)
            return;
        const int n = MultiByteToWideChar(CP_ACP, 0, pSrc, -1, nullptr, 0);
        if (n <= 0)
            return;
        m_str = SysAllocStringLen(nullptr, static_cast<UINT>(n - 1));
        if (m_str)
            MultiByteToWideChar(CP_ACP, 0, pSrc, -1, m_str, n);
    }
};
