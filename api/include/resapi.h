// <resapi.h>: the cluster resource functions VSS requesters call to recognise Cluster Shared Volumes.
// Simulator: the simulated machine is not a cluster node and has no Cluster Shared Volume.
#pragma once
#include <windows.h>
#include <shlwapi.h>

extern "C" {
VSSSIM_API BOOL WINAPI ClusterIsPathOnSharedVolume(LPCWSTR lpszPathName);
VSSSIM_API DWORD WINAPI ClusterPrepareSharedVolumeForBackup(LPCWSTR lpszFileName, LPWSTR lpszVolumePathName,
                                                 LPDWORD lpcchVolumePathName, LPWSTR lpszVolumeName,
                                                 LPDWORD lpcchVolumeName);
VSSSIM_API BOOL WINAPI ClusterGetVolumePathName(LPCWSTR lpszFileName, LPWSTR lpszVolumePathName, DWORD cchBufferLength);
VSSSIM_API BOOL WINAPI ClusterGetVolumeNameForVolumeMountPoint(LPCWSTR lpszVolumeMountPoint, LPWSTR lpszVolumeName,
                                                    DWORD cchBufferLength);
}
