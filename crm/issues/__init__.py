"""问题台账: the problems that hold projects up, who must solve them and by when."""
