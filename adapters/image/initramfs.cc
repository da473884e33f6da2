#include "adapters/image/initramfs.h"

#include <archive.h>
#include <archive_entry.h>
#include <zlib.h>

#include <algorithm>
#include <memory>
#include <set>

namespace ringfence::image {
namespace {

la_ssize_t Append(struct archive*, void* sink, const void* buffer, size_t length) {
  static_cast<std::string*>(sink)->append(static_cast<const char*>(buffer), length);
  return static_cast<la_ssize_t>(length);
}

}  // namespace

Result<std::string> GzipDeterministic(const std::string& data) {
  z_stream z{};
  // windowBits 15 + 16: a gzip wrapper; zlib writes mtime 0, no name, and the same OS byte always.
  if (deflateInit2(&z, 9, Z_DEFLATED, 15 + 16, 9, Z_DEFAULT_STRATEGY) != Z_OK)
    return Error::Internal("zlib cannot start deflate");
  std::string out(deflateBound(&z, data.size()) + 64, '\0');
  z.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(data.data()));
  z.avail_in = static_cast<uInt>(data.size());
  z.next_out = reinterpret_cast<Bytef*>(out.data());
  z.avail_out = static_cast<uInt>(out.size());
  int rc = deflate(&z, Z_FINISH);
  out.resize(z.total_out);
  deflateEnd(&z);
  if (rc != Z_STREAM_END) return Error::Internal("zlib deflate did not finish");
  return out;
}

Result<std::string> WriteInitramfs(std::vector<ArchiveEntry> entries, int64_t mtime) {
  std::set<std::string> paths;
  for (const auto& e : entries) {
    if (e.path.empty() || e.path[0] == '/' || e.path.find("..") != std::string::npos)
      return Error::InvalidInput("initramfs entry '" + e.path + "' is not a relative path");
    if (!paths.insert(e.path).second) return Error::InvalidInput("initramfs entry '" + e.path + "' twice");
  }
  std::vector<ArchiveEntry> dirs;
  for (const auto& e : entries) {
    for (size_t at = e.path.find('/'); at != std::string::npos; at = e.path.find('/', at + 1)) {
      std::string parent = e.path.substr(0, at);
      if (paths.insert(parent).second) dirs.push_back({parent, ArchiveEntry::Type::kDirectory, 0755, ""});
    }
  }
  entries.insert(entries.end(), dirs.begin(), dirs.end());
  std::sort(entries.begin(), entries.end(), [](const auto& a, const auto& b) { return a.path < b.path; });

  std::string cpio;
  std::unique_ptr<struct archive, int (*)(struct archive*)> a(archive_write_new(), archive_write_free);
  if (!a || archive_write_set_format_cpio_newc(a.get()) != ARCHIVE_OK ||
      archive_write_set_bytes_per_block(a.get(), 0) != ARCHIVE_OK ||
      archive_write_open(a.get(), &cpio, nullptr, Append, nullptr) != ARCHIVE_OK)
    return Error::Internal("libarchive cannot start a cpio archive");
  int64_t ino = 0;
  for (const auto& e : entries) {
    std::unique_ptr<struct archive_entry, void (*)(struct archive_entry*)> entry(archive_entry_new(),
                                                                                 archive_entry_free);
    archive_entry_set_pathname(entry.get(), e.path.c_str());
    bool dir = e.type == ArchiveEntry::Type::kDirectory;
    archive_entry_set_filetype(entry.get(), dir ? AE_IFDIR : AE_IFREG);
    archive_entry_set_perm(entry.get(), e.mode & 07777);
    archive_entry_set_uid(entry.get(), 0);
    archive_entry_set_gid(entry.get(), 0);
    archive_entry_set_nlink(entry.get(), dir ? 2 : 1);
    archive_entry_set_ino64(entry.get(), ++ino);
    archive_entry_set_dev(entry.get(), 0);
    archive_entry_set_mtime(entry.get(), static_cast<time_t>(mtime), 0);
    archive_entry_set_size(entry.get(), dir ? 0 : static_cast<la_int64_t>(e.data.size()));
    if (archive_write_header(a.get(), entry.get()) != ARCHIVE_OK)
      return Error::Internal("libarchive: " + std::string(archive_error_string(a.get())));
    if (!dir && !e.data.empty() &&
        archive_write_data(a.get(), e.data.data(), e.data.size()) != static_cast<la_ssize_t>(e.data.size()))
      return Error::Internal("libarchive: " + std::string(archive_error_string(a.get())));
  }
  if (archive_write_close(a.get()) != ARCHIVE_OK)
    return Error::Internal("libarchive: " + std::string(archive_error_string(a.get())));
  return GzipDeterministic(cpio);
}

}  // namespace ringfence::image
