#pragma once
#ifndef _WINDOWS_
#define _WINDOWS_

#ifndef __cplusplus
#error "vsssim's <windows.h> is C++ only"
#endif
#if __cplusplus < 201703L
#error "vsssim's <windows.h> needs C++17 or later"
#endif
// Simulator: WCHAR is wchar_t, 4 bytes (UTF-32) with glibc; -fshort-wchar breaks glibc's wide functions.
#if !defined(__SIZEOF_WCHAR_T__) || __SIZEOF_WCHAR_T__ != 4
#error "vsssim needs a 4-byte wchar_t; do not build with -fshort-wchar"
#endif

#include <cstddef>
#include <cstdint>

#include <vsssim/export.h>

typedef int32_t HRESULT;
typedef int32_t SCODE;
typedef int32_t LONG;
typedef uint32_t ULONG;
typedef uint32_t DWORD;
typedef unsigned int UINT;
typedef int INT;
typedef int BOOL;
typedef int WINBOOL;
typedef unsigned char boolean;
typedef unsigned char BYTE;
typedef unsigned char UCHAR;
typedef char CHAR;
typedef uint16_t WORD;
typedef uint16_t USHORT;
typedef int16_t SHORT;
typedef short VARIANT_BOOL;
typedef int64_t LONGLONG;
typedef uint64_t ULONGLONG;
typedef int64_t LONG64;
typedef uint64_t ULONG64;
typedef uint64_t DWORD64;
typedef int64_t INT64;
typedef uint64_t UINT64;
typedef intptr_t INT_PTR;
typedef uintptr_t UINT_PTR;
typedef intptr_t LONG_PTR;
typedef uintptr_t ULONG_PTR;
typedef uintptr_t DWORD_PTR;
typedef ULONG_PTR SIZE_T;
typedef LONG_PTR SSIZE_T;

typedef BYTE *PBYTE, *LPBYTE;
typedef WORD *PWORD, *LPWORD;
typedef DWORD *PDWORD, *LPDWORD;
typedef LONG *PLONG, *LPLONG;
typedef ULONG *PULONG;
typedef UINT *PUINT;
typedef INT *PINT, *LPINT;
typedef BOOL *PBOOL, *LPBOOL;
typedef void *PVOID, *LPVOID;
typedef const void *LPCVOID;
typedef PVOID HANDLE;
typedef HANDLE *PHANDLE, *LPHANDLE;
typedef HANDLE HMODULE;
typedef HANDLE HINSTANCE;
typedef PVOID PSECURITY_DESCRIPTOR;

typedef wchar_t WCHAR;
typedef WCHAR OLECHAR;
typedef WCHAR *LPWSTR, *PWSTR, *PWCHAR;
typedef const WCHAR *LPCWSTR, *PCWSTR;
typedef OLECHAR *LPOLESTR;
typedef const OLECHAR *LPCOLESTR;
typedef CHAR *LPSTR, *PSTR;
typedef const CHAR *LPCSTR, *PCSTR;
// Simulator: the length prefix counts bytes of 4-byte wchar_t units (characters x 4).
typedef OLECHAR *BSTR;
typedef BSTR *LPBSTR;

typedef struct _FILETIME {
    DWORD dwLowDateTime;
    DWORD dwHighDateTime;
} FILETIME, *PFILETIME, *LPFILETIME;

#ifndef GUID_DEFINED
#define GUID_DEFINED
typedef struct _GUID {
    uint32_t Data1;
    uint16_t Data2;
    uint16_t Data3;
    uint8_t Data4[8];
} GUID;
#endif
typedef GUID *LPGUID;
typedef GUID IID;
typedef IID *LPIID;
typedef GUID CLSID;
typedef CLSID *LPCLSID;
typedef const GUID &REFGUID;
typedef const IID &REFIID;
typedef const IID &REFCLSID;

static_assert(sizeof(HRESULT) == 4, "HRESULT must be 32 bits");
static_assert(sizeof(LONG) == 4, "LONG must be 32 bits");
static_assert(sizeof(ULONG) == 4, "ULONG must be 32 bits");
static_assert(sizeof(DWORD) == 4, "DWORD must be 32 bits");
static_assert(sizeof(UINT) == 4, "UINT must be 32 bits");
static_assert(sizeof(BOOL) == 4, "BOOL must be 32 bits");
static_assert(sizeof(boolean) == 1, "boolean must be 8 bits");
static_assert(sizeof(WORD) == 2, "WORD must be 16 bits");
static_assert(sizeof(VARIANT_BOOL) == 2, "VARIANT_BOOL must be 16 bits");
static_assert(sizeof(LONGLONG) == 8, "LONGLONG must be 64 bits");
static_assert(sizeof(wchar_t) == 4, "wchar_t must be 4 bytes");
static_assert(sizeof(GUID) == 16, "GUID must be 16 bytes");
static_assert(sizeof(FILETIME) == 8, "FILETIME must be 8 bytes");

inline constexpr GUID GUID_NULL{};

inline constexpr BOOL IsEqualGUID(REFGUID rguid1, REFGUID rguid2)
{
    return rguid1.Data1 == rguid2.Data1 && rguid1.Data2 == rguid2.Data2 && rguid1.Data3 == rguid2.Data3 &&
           rguid1.Data4[0] == rguid2.Data4[0] && rguid1.Data4[1] == rguid2.Data4[1] &&
           rguid1.Data4[2] == rguid2.Data4[2] && rguid1.Data4[3] == rguid2.Data4[3] &&
           rguid1.Data4[4] == rguid2.Data4[4] && rguid1.Data4[5] == rguid2.Data4[5] &&
           rguid1.Data4[6] == rguid2.Data4[6] && rguid1.Data4[7] == rguid2.Data4[7];
}
#ifndef IsEqualIID
#define IsEqualIID(riid1, riid2) IsEqualGUID(riid1, riid2)
#endif
#ifndef IsEqualCLSID
#define IsEqualCLSID(rclsid1, rclsid2) IsEqualGUID(rclsid1, rclsid2)
#endif
inline constexpr bool operator==(REFGUID guidOne, REFGUID guidOther)
{
    return IsEqualGUID(guidOne, guidOther) != 0;
}
inline constexpr bool operator!=(REFGUID guidOne, REFGUID guidOther)
{
    return !(guidOne == guidOther);
}

#ifndef STDMETHODCALLTYPE
#define STDMETHODCALLTYPE
#endif
#ifndef STDMETHODVCALLTYPE
#define STDMETHODVCALLTYPE
#endif
#ifndef STDAPICALLTYPE
#define STDAPICALLTYPE
#endif
#ifndef STDAPIVCALLTYPE
#define STDAPIVCALLTYPE
#endif
#ifndef WINAPI
#define WINAPI
#endif
#ifndef WINAPIV
#define WINAPIV
#endif
#ifndef APIENTRY
#define APIENTRY
#endif
#ifndef CALLBACK
#define CALLBACK
#endif
#ifndef __stdcall
#define __stdcall
#endif
#ifndef __cdecl
#define __cdecl
#endif
#ifndef EXTERN_C
#define EXTERN_C extern "C"
#endif
#ifndef STDMETHOD
#define STDMETHOD(method) virtual HRESULT STDMETHODCALLTYPE method
#endif
#ifndef STDMETHOD_
#define STDMETHOD_(type, method) virtual type STDMETHODCALLTYPE method
#endif
#ifndef STDMETHODIMP
#define STDMETHODIMP HRESULT STDMETHODCALLTYPE
#endif
#ifndef STDMETHODIMP_
#define STDMETHODIMP_(type) type STDMETHODCALLTYPE
#endif
#ifndef STDAPI
#define STDAPI extern "C" HRESULT STDAPICALLTYPE
#endif
#ifndef STDAPI_
#define STDAPI_(type) extern "C" type STDAPICALLTYPE
#endif
#ifndef PURE
#define PURE = 0
#endif
#ifndef MIDL_INTERFACE
#define MIDL_INTERFACE(x) struct
#endif
#ifndef DECLSPEC_UUID
#define DECLSPEC_UUID(x)
#endif
#ifndef DECLSPEC_NOVTABLE
#define DECLSPEC_NOVTABLE
#endif
#ifndef COM_DECLSPEC_NOTHROW
#define COM_DECLSPEC_NOTHROW
#endif
#ifndef BEGIN_INTERFACE
#define BEGIN_INTERFACE
#endif
#ifndef END_INTERFACE
#define END_INTERFACE
#endif
// Simulator: __declspec(uuid("...")) registers nothing; declare the IID with VSSSIM_UUID_DECL.
#ifndef __declspec
#define __declspec(...)
#endif
// Simulator: `interface` is a common identifier in Linux code, so it becomes `struct` only on request.
#if defined(VSSSIM_DEFINE_INTERFACE_KEYWORD) && !defined(interface)
#define interface struct
#endif
#ifndef CONST
#define CONST const
#endif
#ifndef VOID
#define VOID void
#endif

#ifndef _In_
#define _In_
#endif
#ifndef _In_opt_
#define _In_opt_
#endif
#ifndef _In_z_
#define _In_z_
#endif
#ifndef _In_opt_z_
#define _In_opt_z_
#endif
#ifndef _Inout_
#define _Inout_
#endif
#ifndef _Inout_opt_
#define _Inout_opt_
#endif
#ifndef _Inout_z_
#define _Inout_z_
#endif
#ifndef _Out_
#define _Out_
#endif
#ifndef _Out_opt_
#define _Out_opt_
#endif
#ifndef _Outptr_
#define _Outptr_
#endif
#ifndef _Outptr_opt_
#define _Outptr_opt_
#endif
#ifndef _Outptr_result_maybenull_
#define _Outptr_result_maybenull_
#endif
#ifndef _Outptr_opt_result_maybenull_
#define _Outptr_opt_result_maybenull_
#endif
#ifndef _Outptr_result_z_
#define _Outptr_result_z_
#endif
#ifndef _Outptr_result_maybenull_z_
#define _Outptr_result_maybenull_z_
#endif
#ifndef _COM_Outptr_
#define _COM_Outptr_
#endif
#ifndef _COM_Outptr_opt_
#define _COM_Outptr_opt_
#endif
#ifndef _COM_Outptr_result_maybenull_
#define _COM_Outptr_result_maybenull_
#endif
#ifndef _Frees_ptr_
#define _Frees_ptr_
#endif
#ifndef _Frees_ptr_opt_
#define _Frees_ptr_opt_
#endif
#ifndef _Ret_maybenull_
#define _Ret_maybenull_
#endif
#ifndef _Ret_z_
#define _Ret_z_
#endif
#ifndef _Check_return_
#define _Check_return_
#endif
#ifndef _Must_inspect_result_
#define _Must_inspect_result_
#endif
#ifndef _Use_decl_annotations_
#define _Use_decl_annotations_
#endif
#ifndef _Null_terminated_
#define _Null_terminated_
#endif
#ifndef _Reserved_
#define _Reserved_
#endif
#ifndef _In_reads_
#define _In_reads_(size)
#endif
#ifndef _In_reads_opt_
#define _In_reads_opt_(size)
#endif
#ifndef _In_reads_bytes_
#define _In_reads_bytes_(size)
#endif
#ifndef _In_reads_bytes_opt_
#define _In_reads_bytes_opt_(size)
#endif
#ifndef _Out_writes_
#define _Out_writes_(size)
#endif
#ifndef _Out_writes_opt_
#define _Out_writes_opt_(size)
#endif
#ifndef _Out_writes_z_
#define _Out_writes_z_(size)
#endif
#ifndef _Out_writes_bytes_
#define _Out_writes_bytes_(size)
#endif
#ifndef _Out_writes_to_
#define _Out_writes_to_(size, count)
#endif
#ifndef _Out_writes_to_opt_
#define _Out_writes_to_opt_(size, count)
#endif
#ifndef _Out_writes_bytes_to_
#define _Out_writes_bytes_to_(size, count)
#endif
#ifndef _Inout_updates_
#define _Inout_updates_(size)
#endif
#ifndef _Inout_updates_bytes_
#define _Inout_updates_bytes_(size)
#endif
#ifndef _Outptr_result_buffer_
#define _Outptr_result_buffer_(size)
#endif
#ifndef _Outptr_result_bytebuffer_
#define _Outptr_result_bytebuffer_(size)
#endif
#ifndef _Success_
#define _Success_(expr)
#endif
#ifndef _Return_type_success_
#define _Return_type_success_(expr)
#endif
#ifndef _When_
#define _When_(expr, annotations)
#endif
#ifndef _At_
#define _At_(target, annotations)
#endif
#ifndef _Pre_
#define _Pre_
#endif
#ifndef _Post_
#define _Post_
#endif
#ifndef _Analysis_assume_
#define _Analysis_assume_(expr)
#endif
// Simulator: libstdc++ uses __in and __out as identifiers (stl_algo.h, basic_string.h, ostream,
// istream, regex, thread...), so empty macros with those names would break every standard header
// included after them. Old SAL code needs them, so the standard headers that use the names are
// parsed here first (their include guards then make later #includes no-ops) and the macros are
// defined after. Headers outside this list that use the names (tr1/, ext/, parallel/) must be
// included before <windows.h>. Define VSSSIM_NO_OLD_SAL to keep __in and __out undefined.
#if !defined(VSSSIM_NO_OLD_SAL) && !defined(__in) && !defined(__out)
#include <vsssim/sal_guard.h>
#define __in
#define __out
#endif
#ifndef __in_opt
#define __in_opt
#endif
#ifndef __out_opt
#define __out_opt
#endif
#ifndef __inout
#define __inout
#endif
#ifndef __inout_opt
#define __inout_opt
#endif
#ifndef __deref_out
#define __deref_out
#endif
#ifndef __deref_out_opt
#define __deref_out_opt
#endif
#ifndef __in_ecount
#define __in_ecount(size)
#endif
#ifndef __in_bcount
#define __in_bcount(size)
#endif
#ifndef __out_ecount
#define __out_ecount(size)
#endif
#ifndef __out_bcount
#define __out_bcount(size)
#endif
#ifndef __out_ecount_part
#define __out_ecount_part(size, length)
#endif
#ifndef __inout_ecount
#define __inout_ecount(size)
#endif
#ifndef __RPC__in
#define __RPC__in
#endif
#ifndef __RPC__in_opt
#define __RPC__in_opt
#endif
#ifndef __RPC__out
#define __RPC__out
#endif
#ifndef __RPC__inout
#define __RPC__inout
#endif
#ifndef __RPC__inout_opt
#define __RPC__inout_opt
#endif
#ifndef __RPC__deref_out
#define __RPC__deref_out
#endif
#ifndef __RPC__deref_out_opt
#define __RPC__deref_out_opt
#endif
#ifndef __RPC__deref_inout_opt
#define __RPC__deref_inout_opt
#endif
#ifndef __RPC__in_ecount_full
#define __RPC__in_ecount_full(size)
#endif
#ifndef __RPC__out_ecount_full
#define __RPC__out_ecount_full(size)
#endif
#ifndef __RPC__out_ecount_part
#define __RPC__out_ecount_part(size, length)
#endif
#ifndef __RPC__in_xcount
#define __RPC__in_xcount(size)
#endif
#ifndef __RPC_unique_pointer
#define __RPC_unique_pointer
#endif
#ifndef __RPC_string
#define __RPC_string
#endif
#ifndef IN
#define IN
#endif
#ifndef OUT
#define OUT
#endif
#ifndef OPTIONAL
#define OPTIONAL
#endif

#ifndef UNREFERENCED_PARAMETER
#define UNREFERENCED_PARAMETER(P) (void)(P)
#endif
#ifndef TRUE
#define TRUE 1
#endif
#ifndef FALSE
#define FALSE 0
#endif
#ifndef INFINITE
#define INFINITE 0xFFFFFFFF
#endif
#ifndef VARIANT_TRUE
#define VARIANT_TRUE ((VARIANT_BOOL)-1)
#endif
#ifndef VARIANT_FALSE
#define VARIANT_FALSE ((VARIANT_BOOL)0)
#endif

#ifndef SEVERITY_SUCCESS
#define SEVERITY_SUCCESS 0
#endif
#ifndef SEVERITY_ERROR
#define SEVERITY_ERROR 1
#endif
#ifndef FACILITY_ITF
#define FACILITY_ITF 4
#endif
#ifndef FACILITY_WIN32
#define FACILITY_WIN32 7
#endif
#ifndef SUCCEEDED
#define SUCCEEDED(hr) (((HRESULT)(hr)) >= 0)
#endif
#ifndef FAILED
#define FAILED(hr) (((HRESULT)(hr)) < 0)
#endif
// Simulator: the SDK casts to unsigned long, which is 64 bits on LP64; uint32_t keeps bit 31 the severity bit.
#ifndef IS_ERROR
#define IS_ERROR(Status) (((uint32_t)(Status)) >> 31 == SEVERITY_ERROR)
#endif
#ifndef HRESULT_CODE
#define HRESULT_CODE(hr) ((hr) & 0xFFFF)
#endif
#ifndef HRESULT_FACILITY
#define HRESULT_FACILITY(hr) (((hr) >> 16) & 0x1fff)
#endif
#ifndef HRESULT_SEVERITY
#define HRESULT_SEVERITY(hr) (((hr) >> 31) & 0x1)
#endif
#ifndef MAKE_HRESULT
#define MAKE_HRESULT(sev, fac, code) \
    ((HRESULT)(((uint32_t)(sev) << 31) | ((uint32_t)(fac) << 16) | ((uint32_t)(code))))
#endif
#ifndef __HRESULT_FROM_WIN32
#define __HRESULT_FROM_WIN32(x) \
    ((HRESULT)(x) <= 0 ? ((HRESULT)(x)) : ((HRESULT)(((x) & 0x0000FFFF) | (FACILITY_WIN32 << 16) | 0x80000000)))
#endif
#ifndef HRESULT_FROM_WIN32
inline constexpr HRESULT HRESULT_FROM_WIN32(DWORD x)
{
    return static_cast<HRESULT>(x) <= 0
               ? static_cast<HRESULT>(x)
               : static_cast<HRESULT>((x & 0x0000FFFFu) | (static_cast<DWORD>(FACILITY_WIN32) << 16) | 0x80000000u);
}
#endif
#ifndef NOERROR
#define NOERROR 0
#endif
#ifndef ERROR_SUCCESS
#define ERROR_SUCCESS 0L
#endif

#ifndef S_OK
#define S_OK ((HRESULT)0L)
#endif
#ifndef S_FALSE
#define S_FALSE ((HRESULT)1L)
#endif
#ifndef E_NOTIMPL
#define E_NOTIMPL ((HRESULT)0x80004001L)
#endif
#ifndef E_NOINTERFACE
#define E_NOINTERFACE ((HRESULT)0x80004002L)
#endif
#ifndef E_POINTER
#define E_POINTER ((HRESULT)0x80004003L)
#endif
#ifndef E_ABORT
#define E_ABORT ((HRESULT)0x80004004L)
#endif
#ifndef E_FAIL
#define E_FAIL ((HRESULT)0x80004005L)
#endif
#ifndef E_PENDING
#define E_PENDING ((HRESULT)0x8000000AL)
#endif
#ifndef E_UNEXPECTED
#define E_UNEXPECTED ((HRESULT)0x8000FFFFL)
#endif
#ifndef E_ACCESSDENIED
#define E_ACCESSDENIED ((HRESULT)0x80070005L)
#endif
#ifndef E_HANDLE
#define E_HANDLE ((HRESULT)0x80070006L)
#endif
#ifndef E_OUTOFMEMORY
#define E_OUTOFMEMORY ((HRESULT)0x8007000EL)
#endif
#ifndef E_INVALIDARG
#define E_INVALIDARG ((HRESULT)0x80070057L)
#endif
#ifndef RPC_E_CHANGED_MODE
#define RPC_E_CHANGED_MODE ((HRESULT)0x80010106L)
#endif
#ifndef RPC_E_TOO_LATE
#define RPC_E_TOO_LATE ((HRESULT)0x80010119L)
#endif
#ifndef CO_E_NOTINITIALIZED
#define CO_E_NOTINITIALIZED ((HRESULT)0x800401F0L)
#endif
#ifndef CO_E_CLASSSTRING
#define CO_E_CLASSSTRING ((HRESULT)0x800401F3L)
#endif
#ifndef CO_E_IIDSTRING
#define CO_E_IIDSTRING ((HRESULT)0x800401F4L)
#endif

extern "C++" {
template <typename T> struct __vsssim_uuidof_s;
template <typename T> constexpr const GUID &__vsssim_uuidof();
}

#define VSSSIM_UUID_DECL(type, l, w1, w2, b1, b2, b3, b4, b5, b6, b7, b8)                 \
    extern "C++" {                                                                       \
    template <> struct __vsssim_uuidof_s<type> {                                         \
        static constexpr GUID uuid = {l, w1, w2, {b1, b2, b3, b4, b5, b6, b7, b8}};      \
    };                                                                                   \
    template <> constexpr const GUID &__vsssim_uuidof<type>()                            \
    {                                                                                    \
        return __vsssim_uuidof_s<type>::uuid;                                            \
    }                                                                                    \
    template <> constexpr const GUID &__vsssim_uuidof<type *>()                          \
    {                                                                                    \
        return __vsssim_uuidof_s<type>::uuid;                                            \
    }                                                                                    \
    }
#ifndef __CRT_UUID_DECL
#define __CRT_UUID_DECL(type, l, w1, w2, b1, b2, b3, b4, b5, b6, b7, b8) \
    VSSSIM_UUID_DECL(type, l, w1, w2, b1, b2, b3, b4, b5, b6, b7, b8)
#endif
#ifndef __uuidof
#define __uuidof(x) ::__vsssim_uuidof<__typeof__(x)>()
#endif

struct IUnknown {
public:
    virtual HRESULT STDMETHODCALLTYPE QueryInterface(REFIID riid, void **ppvObject) = 0;
    virtual ULONG STDMETHODCALLTYPE AddRef() = 0;
    virtual ULONG STDMETHODCALLTYPE Release() = 0;

    template <class Q> HRESULT STDMETHODCALLTYPE QueryInterface(Q **pp)
    {
        return QueryInterface(::__vsssim_uuidof<Q>(), reinterpret_cast<void **>(pp));
    }
};
inline constexpr IID IID_IUnknown = {0x00000000, 0x0000, 0x0000, {0xc0, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x46}};
VSSSIM_UUID_DECL(IUnknown, 0x00000000, 0x0000, 0x0000, 0xc0, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x46)
typedef IUnknown *LPUNKNOWN;

typedef enum tagCOINIT {
    COINIT_APARTMENTTHREADED = 0x2,
    COINIT_MULTITHREADED = 0x0,
    COINIT_DISABLE_OLE1DDE = 0x4,
    COINIT_SPEED_OVER_MEMORY = 0x8
} COINIT;

#ifndef RPC_C_AUTHN_LEVEL_DEFAULT
#define RPC_C_AUTHN_LEVEL_DEFAULT 0
#endif
#ifndef RPC_C_AUTHN_LEVEL_NONE
#define RPC_C_AUTHN_LEVEL_NONE 1
#endif
#ifndef RPC_C_AUTHN_LEVEL_CONNECT
#define RPC_C_AUTHN_LEVEL_CONNECT 2
#endif
#ifndef RPC_C_AUTHN_LEVEL_CALL
#define RPC_C_AUTHN_LEVEL_CALL 3
#endif
#ifndef RPC_C_AUTHN_LEVEL_PKT
#define RPC_C_AUTHN_LEVEL_PKT 4
#endif
#ifndef RPC_C_AUTHN_LEVEL_PKT_INTEGRITY
#define RPC_C_AUTHN_LEVEL_PKT_INTEGRITY 5
#endif
#ifndef RPC_C_AUTHN_LEVEL_PKT_PRIVACY
#define RPC_C_AUTHN_LEVEL_PKT_PRIVACY 6
#endif
#ifndef RPC_C_IMP_LEVEL_DEFAULT
#define RPC_C_IMP_LEVEL_DEFAULT 0
#endif
#ifndef RPC_C_IMP_LEVEL_ANONYMOUS
#define RPC_C_IMP_LEVEL_ANONYMOUS 1
#endif
#ifndef RPC_C_IMP_LEVEL_IDENTIFY
#define RPC_C_IMP_LEVEL_IDENTIFY 2
#endif
#ifndef RPC_C_IMP_LEVEL_IMPERSONATE
#define RPC_C_IMP_LEVEL_IMPERSONATE 3
#endif
#ifndef RPC_C_IMP_LEVEL_DELEGATE
#define RPC_C_IMP_LEVEL_DELEGATE 4
#endif
#ifndef RPC_C_AUTHN_NONE
#define RPC_C_AUTHN_NONE 0
#endif
#ifndef RPC_C_AUTHN_WINNT
#define RPC_C_AUTHN_WINNT 10
#endif
#ifndef RPC_C_AUTHN_DEFAULT
#define RPC_C_AUTHN_DEFAULT 0xFFFFFFFFL
#endif
#ifndef RPC_C_AUTHZ_NONE
#define RPC_C_AUTHZ_NONE 0
#endif
#ifndef RPC_C_AUTHZ_DEFAULT
#define RPC_C_AUTHZ_DEFAULT 0xffffffff
#endif

typedef enum tagEOLE_AUTHENTICATION_CAPABILITIES {
    EOAC_NONE = 0,
    EOAC_MUTUAL_AUTH = 0x1,
    EOAC_STATIC_CLOAKING = 0x20,
    EOAC_DYNAMIC_CLOAKING = 0x40,
    EOAC_ANY_AUTHORITY = 0x80,
    EOAC_MAKE_FULLSIC = 0x100,
    EOAC_DEFAULT = 0x800,
    EOAC_SECURE_REFS = 0x2,
    EOAC_ACCESS_CONTROL = 0x4,
    EOAC_APPID = 0x8,
    EOAC_DYNAMIC = 0x10,
    EOAC_REQUIRE_FULLSIC = 0x200,
    EOAC_AUTO_IMPERSONATE = 0x400,
    EOAC_DISABLE_AAA = 0x1000,
    EOAC_NO_CUSTOM_MARSHAL = 0x2000,
    EOAC_RESERVED1 = 0x4000
} EOLE_AUTHENTICATION_CAPABILITIES;

typedef struct tagSOLE_AUTHENTICATION_SERVICE {
    DWORD dwAuthnSvc;
    DWORD dwAuthzSvc;
    OLECHAR *pPrincipalName;
    HRESULT hr;
} SOLE_AUTHENTICATION_SERVICE, *PSOLE_AUTHENTICATION_SERVICE;

extern "C" {
VSSSIM_API BSTR STDAPICALLTYPE SysAllocString(const OLECHAR *psz);
VSSSIM_API BSTR STDAPICALLTYPE SysAllocStringLen(const OLECHAR *strIn, UINT ui);
VSSSIM_API BSTR STDAPICALLTYPE SysAllocStringByteLen(LPCSTR psz, UINT len);
VSSSIM_API void STDAPICALLTYPE SysFreeString(BSTR bstrString);
VSSSIM_API UINT STDAPICALLTYPE SysStringLen(BSTR pbstr);
VSSSIM_API UINT STDAPICALLTYPE SysStringByteLen(BSTR bstr);
VSSSIM_API INT STDAPICALLTYPE SysReAllocString(BSTR *pbstr, const OLECHAR *psz);
VSSSIM_API INT STDAPICALLTYPE SysReAllocStringLen(BSTR *pbstr, const OLECHAR *psz, unsigned int len);

VSSSIM_API HRESULT STDAPICALLTYPE CoInitialize(LPVOID pvReserved);
VSSSIM_API HRESULT STDAPICALLTYPE CoInitializeEx(LPVOID pvReserved, DWORD dwCoInit);
VSSSIM_API void STDAPICALLTYPE CoUninitialize(void);
VSSSIM_API HRESULT STDAPICALLTYPE CoInitializeSecurity(PSECURITY_DESCRIPTOR pSecDesc, LONG cAuthSvc,
                                            SOLE_AUTHENTICATION_SERVICE *asAuthSvc, void *pReserved1,
                                            DWORD dwAuthnLevel, DWORD dwImpLevel, void *pAuthList,
                                            DWORD dwCapabilities, void *pReserved3);
VSSSIM_API LPVOID STDAPICALLTYPE CoTaskMemAlloc(SIZE_T cb);
VSSSIM_API void STDAPICALLTYPE CoTaskMemFree(LPVOID pv);
VSSSIM_API int STDAPICALLTYPE StringFromGUID2(REFGUID rguid, LPOLESTR lpsz, int cchMax);
VSSSIM_API HRESULT STDAPICALLTYPE CLSIDFromString(LPCOLESTR lpsz, LPCLSID pclsid);
VSSSIM_API HRESULT STDAPICALLTYPE IIDFromString(LPCOLESTR lpsz, LPIID lpiid);

VSSSIM_API void WINAPI Sleep(DWORD dwMilliseconds);
VSSSIM_API DWORD WINAPI GetTickCount(void);
VSSSIM_API ULONGLONG WINAPI GetTickCount64(void);
}

// Simulator: a program may define wmain instead of main, as on Windows; libvsssim's main converts
// the arguments with the environment's locale and calls it. The C linkage declared here makes a
// later `int wmain(int, wchar_t **)` definition match that call.
extern "C" int wmain(int argc, wchar_t **argv);

// Simulator: MSVC's __FUNCTION__ is a string literal, so L ## __FUNCTION__ (the usual __WFUNCTION__
// macro) gives a wide one; in GCC it is a variable and the paste gives the identifier L__FUNCTION__,
// defined here as the function's name widened (once per function, kept for the program's life).
extern "C" VSSSIM_API const wchar_t *vsssim_widen_literal(const char *text);
#ifndef L__FUNCTION__
#define L__FUNCTION__ (::vsssim_widen_literal(__FUNCTION__))
#endif
#ifndef __FUNCTIONW__
#define __FUNCTIONW__ (::vsssim_widen_literal(__FUNCTION__))
#endif

#include <winbase.h>

#endif
