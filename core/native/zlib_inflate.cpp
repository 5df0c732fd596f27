#include "leadscore/zlib_inflate.hpp"

#include <zlib.h>

#include <algorithm>
#include <climits>
#include <vector>

namespace leadscore {

Status zlib_inflate(std::string_view deflated, const InflatedSink& out) {
  z_stream stream{};
  if (inflateInit2(&stream, -MAX_WBITS) != Z_OK)
    return Error{ErrorCode::OutOfMemory, "cannot start inflating the workbook"};
  std::vector<unsigned char> buffer(1 << 20);
  std::size_t at = 0;
  int code = Z_OK;
  Status status = Ok{};
  while (status.ok() && code != Z_STREAM_END) {
    if (stream.avail_in == 0 && at < deflated.size()) {
      const std::size_t take = std::min<std::size_t>(deflated.size() - at, UINT_MAX / 2);
      stream.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(deflated.data() + at));
      stream.avail_in = static_cast<uInt>(take);
      at += take;
    }
    stream.next_out = buffer.data();
    stream.avail_out = static_cast<uInt>(buffer.size());
    code = inflate(&stream, Z_NO_FLUSH);
    const std::size_t produced = buffer.size() - stream.avail_out;
    if (produced > 0)
      status = out(std::string_view(reinterpret_cast<const char*>(buffer.data()), produced), stream.total_in);
    const bool ended_early = code == Z_BUF_ERROR && stream.avail_in == 0 && at == deflated.size();
    if (ended_early || (code != Z_OK && code != Z_STREAM_END && code != Z_BUF_ERROR)) status = inflate_failure();
  }
  inflateEnd(&stream);
  return status;
}

}  // namespace leadscore
