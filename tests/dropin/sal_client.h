// Old-SAL client code for the include-order tests; included last by sal_after.cpp and sal_before.cpp.
#pragma once

static int CountWriters(__in const std::vector<std::wstring> &names, __in_opt const wchar_t *pwszPrefix,
                        __out int *pcMatches)
{
    std::regex dot("\\.");
    *pcMatches = static_cast<int>(std::count_if(names.begin(), names.end(), [&](const std::wstring &n) {
        return !pwszPrefix || n.rfind(pwszPrefix, 0) == 0;
    }));
    return std::regex_search("vssapi.dll", dot) ? 0 : 1;
}

int main()
{
    int cMatches = 0;
    const int rc = CountWriters({L"System Writer", L"SqlServerWriter", L"Registry Writer"}, L"S", &cMatches);
    return (rc == 0 && cMatches == 2) ? 0 : 1;
}
