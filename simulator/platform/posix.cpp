// The POSIX side of platform.h: glibc on Linux, and what a macOS port would share.
#include "platform/platform.h"
#include "core/process.h"

#include <cerrno>
#include <cstdio>
#include <cstdlib>
#include <cstring>

#include <fcntl.h>
#include <fnmatch.h>
#include <sys/file.h>
#include <unistd.h>

namespace vsssim::platform {

void setEnvironment(const char *name, const std::string &value)
{
    ::setenv(name, value.c_str(), 1);
}

FileLock lockFile(const std::string &path, std::string &error)
{
    const int fd = ::open(path.c_str(), O_RDWR | O_CREAT | O_CLOEXEC, 0644);
    if (fd < 0) {
        error = std::strerror(errno);
        return kNoLock;
    }
    if (::flock(fd, LOCK_EX) != 0) {
        error = std::strerror(errno);
        ::close(fd);
        return kNoLock;
    }
    return fd;
}

void unlockFile(FileLock lock)
{
    if (lock != kNoLock)
        ::close(static_cast<int>(lock));
}

bool replaceFile(const std::string &path, const std::string &text, std::string &error)
{
    const std::string temp = path + ".tmp";
    const int fd = ::open(temp.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
    bool ok = fd >= 0;
    if (ok)
        ok = ::write(fd, text.data(), text.size()) == static_cast<ssize_t>(text.size()) && ::fsync(fd) == 0;
    if (fd >= 0)
        ok = (::close(fd) == 0) && ok;
    if (ok)
        ok = std::rename(temp.c_str(), path.c_str()) == 0;
    if (!ok)
        error = std::strerror(errno);
    return ok;
}

bool matchesGlob(const std::string &pattern, const std::string &name)
{
    return ::fnmatch(pattern.c_str(), name.c_str(), 0) == 0;
}

} // namespace vsssim::platform

namespace vsssim {

#if defined(__GLIBC__)
// glibc's on_exit passes the status given to exit(), which is what a sanitizer-style verdict needs to
// turn "0" into "failed" without hiding a program's own failure code.
void onProcessExit(void (*hook)(int status))
{
    static void (*registered)(int) = nullptr;
    registered = hook;
    ::on_exit([](int status, void *) { registered(status); }, nullptr);
}
#else
void onProcessExit(void (*hook)(int status))
{
    static void (*registered)(int) = nullptr;
    registered = hook;
    std::atexit([] { registered(0); });
}
#endif

void exitProcessNow(int code)
{
    std::fflush(nullptr);
    std::_Exit(code);
}

} // namespace vsssim
