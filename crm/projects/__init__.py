"""项目: the pipeline from 在谈 to 投产 (issue 5 builds the stages, 三个一, milestones, funds and issues on this)."""
