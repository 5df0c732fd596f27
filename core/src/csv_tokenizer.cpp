#include "detail/csv_tokenizer.hpp"

#include <cstring>

#include "detail/byte_scan.hpp"
#include "messages.hpp"

namespace leadscore::detail {

CsvTokenizer::CsvTokenizer(char delimiter, std::size_t expected_fields)
    : delimiter_(delimiter), expected_fields_(expected_fields) {}

void CsvTokenizer::report(CsvSink& sink, ErrorCode code, std::int64_t line, std::string message) {
  sink.on_issue(Error{code, "Line " + std::to_string(line) + ": " + message, line});
}

void CsvTokenizer::end_field() { record_.end_field(); }

void CsvTokenizer::new_line(char c) {
  ++line_;
  skip_lf_ = c == '\r';
  state_ = State::RecordStart;
}

void CsvTokenizer::end_line(char c, CsvSink& sink) {
  end_field();
  end_record(sink);
  new_line(c);
}

void CsvTokenizer::end_record(CsvSink& sink) {
  const std::size_t fields = record_.size();
  // A whitespace-only line in a multi-column file is a blank line, not a one-field row.
  if (fields == 1 && !record_had_quote_ && expected_fields_ > 1 &&
      record_[0].find_first_not_of(" \t\f") == std::string_view::npos) {
    record_.clear();
    return;
  }
  if (expected_fields_ == 0) {
    expected_fields_ = fields;
  } else if (fields < expected_fields_) {
    report(sink, ErrorCode::CsvRaggedRowShort, record_.line_, messages::ragged_row(fields, expected_fields_));
  } else if (fields > expected_fields_) {
    report(sink, ErrorCode::CsvRaggedRowLong, record_.line_, messages::ragged_row(fields, expected_fields_));
  }
  ++records_;
  sink.on_record(record_);
  record_.clear();
}

void CsvTokenizer::feed(std::string_view text, CsvSink& sink) {
  scan_piece(text, sink);
  consumed_ += text.size();
}

void CsvTokenizer::scan_piece(std::string_view text, CsvSink& sink) {
  scan(text, sink);
  if (state_ != State::Quoted && state_ != State::QuoteInQuoted) return;
  // A quoted field goes on in the next piece: keep its text so far, in case its quote proves broken.
  const char* from = quote_begin_ ? quote_begin_ : text.data();
  quoted_text_.append(from, static_cast<std::size_t>(text.data() + text.size() - from));
  quote_begin_ = nullptr;
  if (state_ == State::Quoted && record_.used_ - quote_used_ > kMaxQuotedFieldBytes) {
    reread_broken_quote(sink, messages::kQuoteOverBytes);
  }
}

bool CsvTokenizer::quote_runs_too_long() const noexcept {
  return line_ - quote_line_ > kMaxQuotedLineBreaks || record_.used_ - quote_used_ > kMaxQuotedFieldBytes;
}

const char* CsvTokenizer::reread_broken_quote(CsvSink& sink, std::string_view why, std::string_view text) {
  report(sink, ErrorCode::CsvUnterminatedQuote, quote_line_, messages::broken_quote(why));
  // The field becomes an unquoted one that starts with a quote, read again from just after it.
  record_.used_ = quote_used_;
  record_.append('"');
  state_ = State::Unquoted;
  line_ = quote_line_;
  quoted_cr_ = skip_lf_ = false;
  if (quote_begin_) {  // the quote is in this piece: go back to just after it
    const char* from = quote_begin_;
    quote_begin_ = nullptr;
    return from;
  }
  // The quote is in an earlier piece: read the text kept since, then this piece from its start.
  const std::string earlier = std::move(quoted_text_);
  quoted_text_.clear();
  const std::uint64_t consumed = consumed_;
  consumed_ = quote_offset_ + 1;
  scan_piece(earlier, sink);
  consumed_ = consumed;
  return text.data();
}

bool CsvTokenizer::scan_plain_fields(const char*& p, const char*& run, const char* end, CsvSink& sink) {
  // 64 bytes per mask, read up to 16 bytes past it by the copies: only well inside the text.
  for (; end - p >= 80; p += 64) {
    std::uint64_t mask = detail::match64(p, delimiter_, '"', '\n', '\r');
    if (mask == 0) continue;
    // The block's cells are copied 16 bytes at a time (most are short; a call to memcpy per cell
    // costs more) and ended on locals, with room made once for all the block can add.
    record_.reserve(static_cast<std::size_t>(p + 64 - run), 64);
    char* const data = record_.data_.data();
    std::size_t* const ends = record_.ends_.data();
    std::size_t used = record_.used_, fields = record_.fields_;
    const char* from = run;
    for (; mask != 0; mask &= mask - 1) {
      const char* hit = p + __builtin_ctzll(mask);
      const auto n = static_cast<std::size_t>(hit - from);
      for (std::size_t i = 0; i < n; i += 16) std::memcpy(data + used + i, from + i, 16);
      used += n;
      from = hit + 1;
      if (*hit == delimiter_) {
        ends[fields++] = used;
        if (*from != '"') continue;
      }
      record_.used_ = used;
      record_.fields_ = fields;
      p = run = from;
      if (*hit == delimiter_) {  // a quoted field next: the state machine takes it
        state_ = State::FieldStart;
      } else if (*hit == '"') {  // a stray quote (rare): kept, and the field goes on
        record_.append('"');
        report_stray_quote(sink);
      } else {
        end_line(*hit, sink);
      }
      return true;
    }
    record_.used_ = used;
    record_.fields_ = fields;
    run = from;
  }
  p = run;  // the state machine goes on from the first byte not yet copied
  return false;
}

void CsvTokenizer::report_stray_quote(CsvSink& sink) {
  if (stray_quote_reported_) return;
  stray_quote_reported_ = true;
  report(sink, ErrorCode::CsvStrayQuote, line_, std::string(messages::kStrayQuote));
}

void CsvTokenizer::scan(std::string_view text, CsvSink& sink) {
  const char* p = text.data();
  const char* const end = p + text.size();
  while (p < end) {
    const char c = *p;
    if (skip_lf_) {
      skip_lf_ = false;
      if (c == '\n') {
        ++p;
        continue;
      }
    }
    switch (state_) {
      case State::RecordStart:
        if (c == '\n' || c == '\r') {  // an empty line: skipped
          new_line(c);
          ++p;
          continue;
        }
        start_record(p, text);
        [[fallthrough]];
      case State::FieldStart:
        if (c == '"') {
          open_quote(p++, text);
        } else if (c == delimiter_) {
          end_field();
          ++p;
        } else if (c == '\n' || c == '\r') {
          end_line(c, sink);
          ++p;
        } else {
          state_ = State::Unquoted;
        }
        continue;
      case State::Unquoted: {
        const char* run = p;
        if (scan_plain_fields(p, run, end, sink)) continue;
        p = detail::find_any(p, end, delimiter_, '"', '\n', '\r');
        record_.append(run, static_cast<std::size_t>(p - run));
        if (p == end) return;
        const char s = *p++;
        if (s == delimiter_) {
          end_field();
          // Most fields are plain text: go on with the next one without a trip round the switch.
          const bool plain_next = p < end && *p != '"' && *p != delimiter_ && *p != '\n' && *p != '\r';
          state_ = plain_next ? State::Unquoted : State::FieldStart;
        } else if (s == '"') {
          record_.append('"');
          report_stray_quote(sink);
        } else {
          end_line(s, sink);
        }
        continue;
      }
      case State::Quoted: {
        const char* run = p;
        p = detail::find_any(p, end, '"', '\n', '\r', '"');
        if (p > run) quoted_cr_ = false;
        record_.append(run, static_cast<std::size_t>(p - run));
        if (p == end) return;
        const char s = *p++;
        if (s == '"') {
          // The limit holds whether the field ends in this piece or spans pieces (scan_piece).
          if (record_.used_ - quote_used_ > kMaxQuotedFieldBytes) {
            p = reread_broken_quote(sink, messages::kQuoteOverBytes, text);
            continue;
          }
          state_ = State::QuoteInQuoted;
        } else {
          record_.append(s);
          if (s == '\r' || !quoted_cr_) ++line_;  // CRLF inside quotes is one line break
          quoted_cr_ = s == '\r';
          if (quote_runs_too_long()) {
            p = reread_broken_quote(sink, messages::kQuoteOverLines, text);
          }
        }
        continue;
      }
      case State::QuoteInQuoted:
        ++p;
        after_quote(c, sink);
        continue;
    }
  }
}

void CsvTokenizer::start_record(const char* at, std::string_view text) {
  record_.line_ = line_;
  record_.offset_ = consumed_ + static_cast<std::uint64_t>(at - text.data());
  record_had_quote_ = stray_quote_reported_ = text_after_quote_reported_ = false;
  state_ = State::FieldStart;
}

void CsvTokenizer::open_quote(const char* at, std::string_view text) {
  state_ = State::Quoted;
  quote_line_ = line_;
  quote_offset_ = consumed_ + static_cast<std::uint64_t>(at - text.data());
  quote_used_ = record_.used_;
  quote_begin_ = at + 1;
  quoted_text_.clear();
  record_had_quote_ = true;
}

void CsvTokenizer::after_quote(char c, CsvSink& sink) {
  quoted_cr_ = false;
  if (c == '"') {
    record_.append('"');
    state_ = State::Quoted;
  } else if (c == delimiter_) {
    end_field();
    state_ = State::FieldStart;
  } else if (c == '\n' || c == '\r') {
    end_line(c, sink);
  } else {
    record_.append(c);
    state_ = State::Unquoted;
    if (!text_after_quote_reported_) {
      text_after_quote_reported_ = true;
      report(sink, ErrorCode::CsvTextAfterQuote, line_, std::string(messages::kTextAfterQuote));
    }
  }
}

void CsvTokenizer::finish(CsvSink& sink) {
  // A quote still open at the end never closes: the text after it is read again as rows (which
  // may open another such quote).
  while (state_ == State::Quoted) reread_broken_quote(sink, messages::kQuoteNeverClosed);
  skip_lf_ = false;
  switch (state_) {
    case State::RecordStart: return;
    case State::Quoted:
    case State::FieldStart:
    case State::Unquoted:
    case State::QuoteInQuoted:
      end_field();
      end_record(sink);
      state_ = State::RecordStart;
      return;
  }
}

}  // namespace leadscore::detail
