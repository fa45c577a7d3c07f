// The writer state machine drawn for people: the backup path as a spine, each failure beside the
// stage it belongs to, rows that change nothing folded into notes, restore apart. Generated from
// transitionTable() like the full graph, so the picture cannot drift from what the simulator does.
#pragma once
#include "private.h"

#include <cstdint>
#include <string>

namespace vsssim {

/// Backup: the events of a backup session (Identify to BackupShutdown); Restore: PreRestore and PostRestore.
enum class LifecycleView { Backup, Restore };

/** \brief DOT of one readable view; its graph `comment` carries tableDigest(), which Graphviz
 *  copies into the SVG, so a stale picture in docs/ can be detected without comparing bytes. */
std::string formatLifecycleGraph(LifecycleView view);

/** \brief FNV-1a over every row's label, from-set and target: changes whenever the table does. */
std::uint64_t tableDigest();

} // namespace vsssim
