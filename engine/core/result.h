// Result<T>: a value or an Error, returned at every module boundary.
// Exceptions never cross a boundary; adapters convert library errors into Error.
#pragma once

#include <cassert>
#include <string>
#include <utility>
#include <variant>

namespace ringfence {

// Why an operation failed. The CLI maps kinds to exit codes.
enum class ErrorKind {
  kInvalidInput,   // malformed file, bad flag, unknown field: the user can fix it
  kNotFound,       // a revision, path or object that does not exist
  kIo,             // the world failed us: unreadable file, dead backend
  kIndeterminate,  // the engine cannot decide
  kConflict,       // another process changed or holds it first (a journal append, a lease)
  kInternal,       // a broken invariant
};

struct Error {
  ErrorKind kind = ErrorKind::kInternal;
  std::string message;  // starts with "path:line:col: " when a position is known

  static Error InvalidInput(std::string m) { return {ErrorKind::kInvalidInput, std::move(m)}; }
  static Error NotFound(std::string m) { return {ErrorKind::kNotFound, std::move(m)}; }
  static Error Io(std::string m) { return {ErrorKind::kIo, std::move(m)}; }
  static Error Internal(std::string m) { return {ErrorKind::kInternal, std::move(m)}; }
  static Error Conflict(std::string m) { return {ErrorKind::kConflict, std::move(m)}; }

  // Same error with "context: " prepended, for adding the caller's view.
  Error Wrap(const std::string& context) const { return {kind, context + ": " + message}; }
};

template <class T>
class [[nodiscard]] Result {
 public:
  Result(T value) : v_(std::move(value)) {}      // NOLINT: implicit by design
  Result(Error error) : v_(std::move(error)) {}  // NOLINT

  bool ok() const { return v_.index() == 0; }
  explicit operator bool() const { return ok(); }

  T& value() & {
    assert(ok());
    return std::get<0>(v_);
  }
  const T& value() const& {
    assert(ok());
    return std::get<0>(v_);
  }
  T&& value() && {
    assert(ok());
    return std::get<0>(std::move(v_));
  }
  T& operator*() & { return value(); }
  const T& operator*() const& { return value(); }
  T* operator->() { return &value(); }
  const T* operator->() const { return &value(); }

  const Error& error() const {
    assert(!ok());
    return std::get<1>(v_);
  }

 private:
  std::variant<T, Error> v_;
};

// Result of an operation with no value.
class [[nodiscard]] Status {
 public:
  Status() = default;
  Status(Error error) : error_(std::move(error)), ok_(false) {}  // NOLINT
  static Status Ok() { return {}; }
  bool ok() const { return ok_; }
  explicit operator bool() const { return ok_; }
  const Error& error() const {
    assert(!ok_);
    return error_;
  }

 private:
  Error error_;
  bool ok_ = true;
};

// "path:line:col: " prefix for messages; line/col are 1-based, 0 omits them.
std::string Position(const std::string& path, int line, int col = 0);

}  // namespace ringfence
