"""报送: the reports units owe on fixed days (半月报 on the 2nd and 17th), on time or late."""
