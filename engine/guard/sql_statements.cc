#include "engine/guard/sql_statements.h"

#include <algorithm>
#include <cctype>
#include <optional>

namespace ringfence {
namespace {

struct Token {
  enum Kind { kWord, kString, kNumber, kSymbol } kind = kWord;
  std::string text;  // words upper-cased; quoted identifiers as words without their quotes
  int depth = 0;     // parentheses around it
  int line = 1;
  std::string raw;  // as written (unquoted): what a target is named by
};

struct Statement {
  std::vector<Token> tokens;
  std::string text;
  int line = 1;
};

std::string Upper(std::string_view s) {
  std::string u(s);
  for (char& c : u) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  return u;
}

bool IsWordChar(char c) {
  return std::isalnum(static_cast<unsigned char>(c)) || c == '_' || c == '.' ||
         static_cast<unsigned char>(c) >= 0x80;
}

// Splits `text` into statements at top-level semicolons; nullopt-like error through `error`.
std::vector<Statement> Lex(std::string_view s, std::string& error, int& error_line) {
  std::vector<Statement> out;
  Statement cur;
  size_t stmt_start = 0;
  int line = 1, depth = 0;
  auto push = [&](Token t) {
    if (cur.tokens.empty()) cur.line = t.line;
    t.depth = depth;
    cur.tokens.push_back(std::move(t));
  };
  auto end_statement = [&](size_t end) {
    if (!cur.tokens.empty()) {
      cur.text = std::string(s.substr(stmt_start, end - stmt_start));
      out.push_back(std::move(cur));
    }
    cur = {};
    stmt_start = end + 1;
    depth = 0;
  };
  size_t i = 0;
  while (i < s.size()) {
    char c = s[i];
    if (c == '\n') {
      ++line;
      ++i;
      continue;
    }
    if (std::isspace(static_cast<unsigned char>(c))) {
      ++i;
      continue;
    }
    if ((c == '-' && i + 1 < s.size() && s[i + 1] == '-') || c == '#') {
      while (i < s.size() && s[i] != '\n') ++i;
      continue;
    }
    if (c == '/' && i + 1 < s.size() && s[i + 1] == '*') {
      size_t end = s.find("*/", i + 2);
      if (end == std::string_view::npos) {
        error = "a /* comment is not closed";
        error_line = line;
        return {};
      }
      line += static_cast<int>(
          std::count(s.begin() + static_cast<long>(i), s.begin() + static_cast<long>(end), '\n'));
      i = end + 2;
      continue;
    }
    if (c == '\'' || c == '"' || c == '`' ||
        ((c == 'E' || c == 'e' || c == 'N' || c == 'n') && i + 1 < s.size() && s[i + 1] == '\'')) {
      bool prefixed = c != '\'' && c != '"' && c != '`';
      size_t j = i + (prefixed ? 2 : 1);
      char q = prefixed ? '\'' : c;
      bool backslashes = prefixed && (c == 'E' || c == 'e');
      std::string body;
      bool closed = false;
      int start_line = line;
      while (j < s.size()) {
        if (backslashes && s[j] == '\\' && j + 1 < s.size()) {
          body += s[j + 1];
          j += 2;
          continue;
        }
        if (s[j] == q) {
          if (j + 1 < s.size() && s[j + 1] == q) {  // a doubled quote
            body += q;
            j += 2;
            continue;
          }
          closed = true;
          ++j;
          break;
        }
        if (s[j] == '\n') ++line;
        body += s[j++];
      }
      if (!closed) {
        error = "a quoted string or identifier is not closed";
        error_line = start_line;
        return {};
      }
      Token t;
      t.kind = q == '\'' ? Token::kString : Token::kWord;  // "x" and `x` are identifiers
      t.text = q == '\'' ? body : Upper(body);
      t.raw = body;
      t.line = start_line;
      push(std::move(t));
      i = j;
      continue;
    }
    if (c == '$') {  // $tag$ ... $tag$ (PostgreSQL dollar quoting) or a $1 parameter
      size_t j = i + 1;
      while (j < s.size() && (std::isalnum(static_cast<unsigned char>(s[j])) || s[j] == '_')) ++j;
      if (j < s.size() && s[j] == '$' && !(j > i + 1 && std::isdigit(static_cast<unsigned char>(s[i + 1])))) {
        std::string tag(s.substr(i, j - i + 1));
        size_t end = s.find(tag, j + 1);
        if (end == std::string_view::npos) {
          error = "a dollar-quoted string " + tag + " is not closed";
          error_line = line;
          return {};
        }
        Token t;
        t.kind = Token::kString;
        t.text = std::string(s.substr(j + 1, end - j - 1));
        t.line = line;
        line += static_cast<int>(std::count(t.text.begin(), t.text.end(), '\n'));
        push(std::move(t));
        i = end + tag.size();
        continue;
      }
      Token t{Token::kSymbol, std::string(s.substr(i, j - i)), 0, line, ""};
      push(std::move(t));
      i = j;
      continue;
    }
    if (c == ';') {
      end_statement(i);
      ++i;
      continue;
    }
    if (IsWordChar(c)) {
      size_t j = i;
      while (j < s.size() && IsWordChar(s[j])) ++j;
      std::string w(s.substr(i, j - i));
      Token t;
      t.kind = std::isdigit(static_cast<unsigned char>(c)) ? Token::kNumber : Token::kWord;
      t.text = t.kind == Token::kWord ? Upper(w) : w;
      t.raw = w;
      t.line = line;
      push(std::move(t));
      i = j;
      continue;
    }
    if (c == ')') depth = std::max(0, depth - 1);
    push(Token{Token::kSymbol, std::string(1, c), 0, line, ""});  // parentheses at the depth outside them
    if (c == '(') ++depth;
    ++i;
  }
  end_statement(s.size());
  return out;
}

bool Is(const std::vector<Token>& t, size_t i, std::string_view word) {
  return i < t.size() && t[i].kind == Token::kWord && t[i].text == word;
}

// A condition that holds for every row: TRUE, a non-zero number, X = X (the same token twice),
// alone or OR-ed in at the top level of the WHERE (AND binds tighter, so a term followed by AND
// is not one). The clause ends at RETURNING, ORDER, LIMIT or the statement's end.
bool AlwaysTrue(const std::vector<Token>& t, size_t from) {
  auto ends_term = [&](size_t i) {
    return i >= t.size() || (t[i].depth == 0 && (Is(t, i, "OR") || Is(t, i, "RETURNING") ||
                                                 Is(t, i, "ORDER") || Is(t, i, "LIMIT")));
  };
  auto tautology_at = [&](size_t i) {
    if (i >= t.size() || t[i].depth != 0) return false;
    if (t[i].kind == Token::kWord && t[i].text == "TRUE") return ends_term(i + 1);
    if (t[i].kind == Token::kNumber && t[i].text != "0" && ends_term(i + 1)) return true;
    return i + 2 < t.size() && t[i + 1].kind == Token::kSymbol && t[i + 1].text == "=" &&
           t[i].kind == t[i + 2].kind && t[i].text == t[i + 2].text && t[i].kind != Token::kSymbol &&
           ends_term(i + 3);
  };
  if (tautology_at(from)) return true;
  for (size_t i = from; i < t.size(); ++i) {
    if (t[i].depth == 0 && Is(t, i, "OR") && tautology_at(i + 1)) return true;
  }
  return false;
}

// The index of a top-level WHERE at or after `from`, or npos.
size_t TopLevelWhere(const std::vector<Token>& t, size_t from) {
  for (size_t i = from; i < t.size(); ++i) {
    if (t[i].depth == 0 && Is(t, i, "WHERE")) return i;
  }
  return std::string::npos;
}

std::string NameAt(const std::vector<Token>& t, size_t i) {
  return i < t.size() && t[i].kind == Token::kWord ? t[i].text : "";
}
std::string TargetAt(const std::vector<Token>& t, size_t i) {
  return i < t.size() && t[i].kind == Token::kWord ? t[i].raw : "";
}

// Statements of the SQL dialects clients send (PostgreSQL, MySQL, SQLite); anything else, such
// as a client's own commands (mysql's `system`, sqlite3's `.shell`), is opaque.
bool KnownStatement(const std::string& w) {
  static const char* kWords[] = {
      "SELECT",   "INSERT",    "UPDATE",   "DELETE",     "MERGE",    "UPSERT",     "REPLACE",  "CREATE",
      "DROP",     "ALTER",     "TRUNCATE", "GRANT",      "REVOKE",   "BEGIN",      "START",    "COMMIT",
      "ROLLBACK", "SAVEPOINT", "RELEASE",  "SET",        "SHOW",     "EXPLAIN",    "ANALYZE",  "ANALYSE",
      "VACUUM",   "COPY",      "USE",      "DESCRIBE",   "DESC",     "VALUES",     "TABLE",    "LOCK",
      "UNLOCK",   "COMMENT",   "REINDEX",  "CLUSTER",    "PREPARE",  "DEALLOCATE", "LISTEN",   "NOTIFY",
      "UNLISTEN", "RESET",     "DISCARD",  "CHECKPOINT", "PRAGMA",   "ATTACH",     "DETACH",   "REFRESH",
      "ABORT",    "END",       "FETCH",    "MOVE",       "CLOSE",    "DECLARE",    "OPTIMIZE", "RENAME",
      "KILL",     "FLUSH",     "PURGE",    "HANDLER",    "SECURITY", "LOAD",       "IMPORT"};
  for (const char* k : kWords) {
    if (w == k) return true;
  }
  return false;
}

Action ReadStatement(const Statement& st, Action a) {
  const auto& t = st.tokens;
  a.text = st.text;
  a.line = st.line;
  auto verb = [&](std::string v, bool removes) {
    a.verb = std::move(v);
    a.removes = removes;
  };
  const std::string first = NameAt(t, 0);
  if (first == "DROP") {
    verb("drop", true);
    size_t i = 1;
    std::string what = NameAt(t, i);
    if (what == "TEMPORARY" || what == "TEMP" || what == "MATERIALIZED" || what == "FOREIGN")
      what = NameAt(t, ++i);
    ++i;
    if (Is(t, i, "IF") && Is(t, i + 1, "EXISTS")) i += 2;
    if (Is(t, i, "CONCURRENTLY")) ++i;
    a.unbounded = what == "DATABASE" || what == "SCHEMA" || what == "OWNED";
    for (; i < t.size(); ++i) {
      if (t[i].kind == Token::kWord && t[i].text != "CASCADE" && t[i].text != "RESTRICT")
        a.targets.push_back(t[i].raw);
    }
  } else if (first == "TRUNCATE") {
    verb("truncate", true);
    a.unbounded = true;
    for (size_t i = 1; i < t.size(); ++i) {
      const std::string& w = t[i].text;
      if (t[i].kind == Token::kWord && w != "TABLE" && w != "ONLY" && w != "CASCADE" && w != "RESTRICT" &&
          w != "RESTART" && w != "CONTINUE" && w != "IDENTITY")
        a.targets.push_back(t[i].raw);
    }
  } else if (first == "DELETE" || first == "UPDATE") {
    verb(first == "DELETE" ? "delete" : "update", true);
    size_t i = 1;
    if (Is(t, i, "FROM")) ++i;
    if (Is(t, i, "ONLY")) ++i;
    a.targets.push_back(TargetAt(t, i));
    size_t where = TopLevelWhere(t, i);
    a.unbounded = where == std::string::npos || AlwaysTrue(t, where + 1);
    if (first == "UPDATE" && where == std::string::npos) a.unbounded = true;
  } else if (first == "ALTER") {
    verb("alter", false);
    // ALTER <object> [IF EXISTS] [ONLY] name ... DROP ...: what is dropped goes with its data.
    size_t i = 2;
    if (Is(t, i, "IF") && Is(t, i + 1, "EXISTS")) i += 2;
    if (Is(t, i, "ONLY")) ++i;
    a.targets.push_back(TargetAt(t, i));
    for (size_t j = i + 1; j < t.size(); ++j) {
      if (t[j].depth == 0 && Is(t, j, "DROP")) a.removes = true;
    }
  } else if (first == "WITH") {
    verb("run", false);
    a.opaque = "a WITH query: the guard does not read which statement its common table expressions feed";
  } else if (first == "GRANT" || first == "REVOKE") {
    verb(first == "GRANT" ? "grant" : "revoke", false);
  } else if (first.empty()) {
    verb("run", false);
    a.opaque = "the statement does not start with a keyword";
  } else if (first == "DO" || first == "CALL" || first == "EXECUTE" || first == "EXEC") {
    verb("run", false);
    a.opaque = "it runs procedural code or a stored procedure the guard does not read";
  } else if (!KnownStatement(first)) {
    verb("run", false);
    a.opaque =
        "'" + t[0].raw + "' is not a SQL statement the guard knows (a client command may run anything)";
  } else {
    std::string v = first;
    for (char& c : v) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    verb(v, false);
    if (first == "REPLACE" || first == "MERGE" || first == "UPSERT") a.removes = true;  // overwrites rows
  }
  // psql's meta-commands (\!, \gexec, \copy ... program) and COPY ... PROGRAM run the shell or
  // statements built at run time.
  for (size_t i = 0; i < t.size(); ++i) {
    if (t[i].kind == Token::kSymbol && t[i].text == "\\") {
      std::string name = i + 1 < t.size() ? (t[i + 1].raw.empty() ? t[i + 1].text : t[i + 1].raw) : "";
      a.opaque = "a client meta-command (\\" + name + ") may run anything";
      break;
    }
    if (first == "COPY" && Is(t, i, "PROGRAM")) {
      a.opaque = "COPY ... PROGRAM runs a shell command on the database server";
      break;
    }
  }
  return a;
}

}  // namespace

std::vector<Action> ActionsOfSql(std::string_view text, const std::string& tool, const Place& place,
                                 const std::string& source) {
  std::string error;
  int error_line = 0;
  std::vector<Statement> statements = Lex(text, error, error_line);
  Action proto;
  proto.kind = ActionKind::kSql;
  proto.tool = tool;
  proto.place = place;
  proto.source = source;
  std::vector<Action> out;
  if (!error.empty()) {
    Action a = proto;
    a.verb = "run";
    a.text = std::string(text.substr(0, 200));
    a.line = error_line;
    a.opaque = "the SQL cannot be read: " + error;
    out.push_back(std::move(a));
    return out;
  }
  for (const auto& st : statements) out.push_back(ReadStatement(st, proto));
  return out;
}

}  // namespace ringfence
