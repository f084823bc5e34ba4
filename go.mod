module postdash

go 1.26
