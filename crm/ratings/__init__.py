"""服务单位月评议 (行风评议): the county's criteria, the raters' monthly score sheets, the results."""
